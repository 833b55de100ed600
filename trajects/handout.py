"""The assignment on paper, handed to the participant: the five parts with their pictures, in
large type on one page, with lines to write the answers on. It speaks the organisation's
language, whoever prints it."""

import segno
from django.conf import settings
from django.utils import translation

from assignments.pictograms import Feeling
from wpo.pdf import render_pdf


def handout_pdf(progress) -> bytes:
    assignment = progress.assignment
    context = {
        "assignment": assignment,
        "participant": progress.trajectory_skill.trajectory.participant,
        "feelings": list(Feeling),
        # a phone's camera opens the video from the paper
        "video_qr": assignment.video_url
        and segno.make(assignment.video_url, error="m").svg_data_uri(dark="#1d2733", border=0),
    }
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf("trajects/handout_pdf.html", context)
