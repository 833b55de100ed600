from django_tasks_db.management.commands import db_worker

from wpo.tasks import Heart


class Command(db_worker.Command):
    help = (
        "Run a database background worker. It renews its sign of life while it runs and takes "
        "up again (or marks failed) the tasks of workers that stopped in the middle."
    )

    def handle(self, *args, worker_id, **options):
        heart = Heart(worker_id)
        heart.start()
        try:
            super().handle(*args, worker_id=worker_id, **options)
        finally:
            heart.stop()
