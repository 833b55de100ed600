from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist

from certificates import services
from certificates.models import CertificateBatch


@task()
def render_batch(batch_id: int):
    services.make_batch_pdf(CertificateBatch.objects.get(pk=batch_id))


def has_failed(batch: CertificateBatch) -> bool:
    """The worker gave up on the batch (or its task is gone): it will not become ready."""
    if batch.is_ready:
        return False
    try:
        return render_batch.get_result(batch.task_id).status == TaskResultStatus.FAILED
    except TaskResultDoesNotExist:
        return True
