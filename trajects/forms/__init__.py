"""The forms of trajectories, one module per concern, as the services are split. Views use them
through this package (`forms.StartForm`); the shared fields and helpers are in `wpo.forms`."""

from trajects.forms.coach import CoachFilterForm
from trajects.forms.coaching import (
    AnswerForm,
    EscalationForm,
    FollowUpForm,
    MeetingForm,
    MeetingRecordForm,
)
from trajects.forms.conversations import (
    ConfirmForm,
    ConversationEditForm,
    ConversationForm,
    ConversationTextForm,
    MoveForm,
    NoteForm,
    PlanForm,
)
from trajects.forms.organisation import PdfForm, ReportForm
from trajects.forms.participant import CardForm, HowItWentForm, WordsForm
from trajects.forms.registrations import CorrectInterestForm, WithdrawInterestForm
from trajects.forms.steps import (
    AssessForm,
    GetStartedForm,
    InterestForm,
    IntroduceForm,
    LookBackForm,
    PauseForm,
    SkillChoiceForm,
    StartForm,
    StepForm,
    StopForm,
)

__all__ = [
    "AnswerForm",
    "AssessForm",
    "CardForm",
    "CoachFilterForm",
    "ConfirmForm",
    "ConversationEditForm",
    "ConversationForm",
    "ConversationTextForm",
    "CorrectInterestForm",
    "EscalationForm",
    "FollowUpForm",
    "GetStartedForm",
    "HowItWentForm",
    "InterestForm",
    "IntroduceForm",
    "LookBackForm",
    "MeetingForm",
    "MeetingRecordForm",
    "MoveForm",
    "NoteForm",
    "PauseForm",
    "PdfForm",
    "PlanForm",
    "ReportForm",
    "SkillChoiceForm",
    "StartForm",
    "StepForm",
    "StopForm",
    "WithdrawInterestForm",
    "WordsForm",
]
