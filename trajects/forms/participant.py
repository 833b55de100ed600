"""The participant's forms: a place to write in their own words, and the card to print."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assignments.pictograms import Feeling
from wpo.forms import VersionedForm


class WordsForm(VersionedForm):
    # 0: the page showed nothing written here yet, so words another screen saves meanwhile
    # are shown to this one, not written over
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    # Not required here: the service says what is missing in the participant's words, and
    # keeps the length rule in one place.
    text = forms.CharField(
        label=_("Your answer"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off", "spellcheck": "true"}),
    )

    def __init__(self, *args, label=None, words=None, **kwargs):
        if words is not None:
            kwargs.setdefault("initial", {"text": words.text, "version": words.version})
        kwargs.setdefault("initial", {"version": 0})
        super().__init__(*args, **kwargs)
        if label:
            self.fields["text"].label = label


class HowItWentForm(WordsForm):
    """How the get-started task went: a face to choose, words to write, or both."""

    feeling = forms.ChoiceField(
        label=_("How did it go?"),
        choices=Feeling.choices,
        required=False,
        widget=forms.RadioSelect,
        # Django's own words would repeat the value a changed form sent, in official Dutch
        error_messages={"invalid_choice": _("Choose one of the faces.")},
    )
    field_order = ["feeling", "text"]

    def __init__(self, *args, words=None, **kwargs):
        if words is not None:
            kwargs.setdefault(
                "initial", {"text": words.text, "feeling": words.feeling, "version": words.version}
            )
        super().__init__(*args, label=_("Or write how it went"), words=words, **kwargs)


class CardForm(forms.Form):
    """The token, as the page that showed it posts it back: only the current one prints."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=100)
