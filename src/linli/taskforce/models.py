"""Task force (专项工作组), tasks, playbooks (工具包) and social-work organisations (三社联动)."""

from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from linli.common.scope import ScopedManager


def _in_language(zh: str, en: str) -> str:
    """The English text on English pages when there is one, else the community's own words."""
    if en and not (get_language() or "zh-hans").startswith("zh"):
        return en
    return zh


# ---------------------------------------------------------------- playbooks


class Playbook(models.Model):
    """A versioned bundle of groups, positions, duties, standards, processes and templates.

    ``owner`` is the community that keeps it (none for the built-in ones). A community's
    playbook is private until shared; shared and built-in playbooks are in the library."""

    key = models.SlugField(_("key"), max_length=80, blank=True)  # built-in playbooks
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary = models.TextField(_("what it solves"), blank=True)
    summary_en = models.TextField(_("what it solves (English)"), blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    owner = models.ForeignKey(
        "places.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="playbooks"
    )
    shared = models.BooleanField(_("shared with other communities"), default=True)
    derived_from = models.ForeignKey(
        "PlaybookVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="derivatives",
    )
    # Provenance as written in an imported file (the source may live in another deployment).
    provenance_note = models.CharField(_("adapted from"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["owner__code", "title", "pk"]
        verbose_name = _("playbook")
        verbose_name_plural = _("playbooks")
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=~models.Q(key=""), name="taskforce_playbook_key"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        return _in_language(self.title, self.title_en)

    @property
    def display_summary(self) -> str:
        return _in_language(self.summary, self.summary_en)

    def latest(self) -> PlaybookVersion | None:
        return self.versions.order_by("-number").first()


class PlaybookVersion(models.Model):
    """One published version: its content (linli.domain.playbooks.content) never changes."""

    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"))
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["playbook", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["playbook", "number"], name="taskforce_one_version")
        ]

    def __str__(self) -> str:
        return f"{self.playbook.title} v{self.number}"

    def label(self) -> str:
        """“玉林东路社区 v3”, or the playbook's title with the version for built-in ones."""
        owner = self.playbook.owner
        return f"{owner.short_name if owner else self.playbook.title} v{self.number}"


class Rating(models.Model):
    """How a community rates a playbook it has used (1–5), with a word on why."""

    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="ratings")
    community = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="+")
    stars = models.PositiveSmallIntegerField(_("stars"))
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["playbook", "community"], name="taskforce_one_rating"),
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5), name="taskforce_rating_stars"
            ),
        ]


# ---------------------------------------------------------------- task force


class TaskForce(models.Model):
    community = models.OneToOneField(
        "places.Place", on_delete=models.PROTECT, related_name="taskforce"
    )
    adopted = models.ForeignKey(
        PlaybookVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="adoptions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    scope_path = "community__code"

    class Meta:
        verbose_name = _("task force")
        verbose_name_plural = _("task forces")

    def __str__(self) -> str:
        return str(self.community)


class Group(models.Model):
    class Kind(models.TextChoices):
        COMMAND = "command", _("Coordination & command")
        STATISTICS = "statistics", _("Data statistics")
        ANALYSIS = "analysis", _("Information analysis")
        COMMUNICATIONS = "communications", _("Communications")
        PATROL = "patrol", _("Field patrol")
        QUARANTINE_SUPPORT = "quarantine_support", _("Quarantine support")
        LOGISTICS = "logistics", _("Logistics")

    taskforce = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="groups")
    kind = models.CharField(_("kind"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = ScopedManager()
    scope_path = "taskforce__community__code"

    class Meta:
        ordering = ["taskforce", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["taskforce", "kind"], name="taskforce_group_kind")
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return _in_language(self.name, self.name_en)


class Position(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="positions")
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["group", "order", "pk"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return _in_language(self.name, self.name_en)


class Entry(models.Model):
    """A duty, standard, process step or template of a group, in order."""

    class Section(models.TextChoices):
        DUTY = "duties", _("Duties")
        STANDARD = "standards", _("Standards")
        STEP = "steps", _("Process")
        TEMPLATE = "templates", _("Templates")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="entries")
    section = models.CharField(_("section"), max_length=10, choices=Section.choices)
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("text"))  # a template's title
    text_en = models.TextField(_("text (English)"), blank=True)
    body = models.TextField(_("body"), blank=True)  # templates only
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    file = models.BinaryField(_("file"), blank=True, default=b"")

    objects = ScopedManager()
    scope_path = "group__taskforce__community__code"

    class Meta:
        ordering = ["group", "section", "order", "pk"]

    @property
    def display_text(self) -> str:
        return _in_language(self.text, self.text_en)


class Member(models.Model):
    """Someone on the task force: an account, a guardianship volunteer or a deployed social
    worker, in one group, optionally at a position; one lead per group."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    position = models.ForeignKey(
        Position, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    name = models.CharField(_("name"), max_length=64)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    volunteer = models.ForeignKey(
        "guardianship.Volunteer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deployment = models.ForeignKey(
        "Deployment", null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    is_lead = models.BooleanField(_("group lead"), default=False)

    objects = ScopedManager()
    scope_path = "group__taskforce__community__code"

    class Meta:
        ordering = ["group", "-is_lead", "position__order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group"], condition=models.Q(is_lead=True), name="taskforce_one_lead"
            )
        ]

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------- tasks


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class RecurringTask(models.Model):
    """A task the group does every day; the daily job makes today's instance."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="recurring")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    due_time = models.TimeField(_("due at"))
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    assignee = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["group", "due_time"]


class Task(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("To do")
        DOING = "doing", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    taskforce = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="tasks")
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    link = models.CharField(_("link"), max_length=200, blank=True)
    assignee = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    # Raised by another capability: one open task per source key (raise_task is idempotent).
    source_key = models.CharField(max_length=120, blank=True)
    recurring = models.ForeignKey(
        RecurringTask, null=True, blank=True, on_delete=models.SET_NULL, related_name="instances"
    )
    day = models.DateField(null=True, blank=True)  # recurring instances
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(null=True, blank=True)  # claimed by the job

    objects = ScopedManager()
    scope_path = "taskforce__community__code"

    OPEN_STATUSES = (Status.OPEN, Status.DOING)

    class Meta:
        ordering = ["due_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["taskforce", "source_key"],
                condition=~models.Q(source_key="") & models.Q(status__in=["open", "doing"]),
                name="taskforce_one_open_task_per_source",
            ),
            models.UniqueConstraint(
                fields=["recurring", "day"],
                condition=models.Q(recurring__isnull=False),
                name="taskforce_one_instance_a_day",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TaskComment(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("comment"), blank=True)
    file_name = models.CharField(_("attachment"), max_length=200, blank=True)
    file = models.BinaryField(blank=True, default=b"")
    at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    scope_path = "task__taskforce__community__code"

    class Meta:
        ordering = ["at", "pk"]


# ---------------------------------------------------------------- social-work organisations


class Organisation(models.Model):
    class Kind(models.TextChoices):
        SOCIAL_WORK = "social_work", _("Social-work agency")
        CHARITY = "charity", _("Charity")
        VOLUNTEER = "volunteer", _("Volunteer association")
        PROFESSIONAL = "professional", _("Professional association")

    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="organisations",
        help_text=_("Where it is registered (a street, a district)"),
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    contact = models.CharField(_("contact"), max_length=120, blank=True)
    specialities = models.JSONField(_("specialities"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    scope_path = "place__code"

    class Meta:
        ordering = ["name"]
        verbose_name = _("social-work organisation")
        verbose_name_plural = _("social-work organisations")

    def __str__(self) -> str:
        return self.name


class SocialWorker(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="workers")
    name = models.CharField(_("name"), max_length=64)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    specialities = models.JSONField(_("specialities"), default=list, blank=True)

    objects = ScopedManager()
    scope_path = "organisation__place__code"

    class Meta:
        ordering = ["organisation", "name"]

    def __str__(self) -> str:
        return self.name


class Deployment(models.Model):
    """A social worker sent to a community from ``start`` (to ``end``, inclusive) in a role."""

    worker = models.ForeignKey(SocialWorker, on_delete=models.CASCADE, related_name="deployments")
    community = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, related_name="deployments"
    )
    role = models.CharField(_("role"), max_length=100)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager()
    scope_path = "community__code"

    class Meta:
        ordering = ["community", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="taskforce_deployment_dates",
            )
        ]


auditlog.register(Member, exclude_fields=["phone"])
auditlog.register(SocialWorker, exclude_fields=["phone"])
auditlog.register(Deployment)
auditlog.register(Task, exclude_fields=["overdue_flagged_at"])
