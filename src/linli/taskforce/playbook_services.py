"""Every write of playbooks: built-in ones installed, adopting, copying with provenance,
publishing new versions from a community's task force, importing a file, rating."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.domain import safeyaml
from linli.domain.playbooks import fileformat
from linli.domain.playbooks.content import Content, parse_content
from linli.places.models import Place

from .models import Entry, Group, Playbook, PlaybookVersion, Position, Rating, TaskForce

BUILTIN_DIR = Path(__file__).parent / "playbooks"
TEXT_SECTIONS = (Entry.Section.DUTY, Entry.Section.STANDARD, Entry.Section.STEP)


class PlaybookError(ValueError):
    """A playbook action that cannot be done; the message says why."""


def _community(place: Place) -> Place:
    if place.level != "community":
        raise PlaybookError(
            _("%(place)s is not a community: a task force belongs to a community")
            % {"place": place.name}
        )
    return place


# ---------------------------------------------------------------- built-in playbooks


def ensure_builtin_playbooks() -> list[Playbook]:
    """Install the playbooks shipped in ``playbooks/*.yaml`` (once; a newer file version is
    added as a new version)."""
    installed = []
    for path in sorted(BUILTIN_DIR.glob("*.yaml")):
        data = safeyaml.load(path.read_text(encoding="utf-8"))
        content = parse_content(data["playbook"])
        number = int(data.get("version", 1))
        with transaction.atomic():
            playbook, _created = Playbook.objects.get_or_create(
                key=data["key"], defaults=_playbook_fields(content) | {"owner": None}
            )
            if not playbook.versions.filter(number=number).exists():
                PlaybookVersion.objects.create(
                    playbook=playbook, number=number, content=content.as_dict()
                )
        installed.append(playbook)
    return installed


def builtin(key: str = "sealed-community-epidemic") -> Playbook:
    ensure_builtin_playbooks()
    return Playbook.objects.get(key=key)


def _playbook_fields(content: Content) -> dict[str, Any]:
    return {
        "title": content.title,
        "title_en": content.title_en,
        "summary": content.summary,
        "summary_en": content.summary_en,
        "tags": list(content.tags),
    }


# ---------------------------------------------------------------- task force <-> content


def content_of(taskforce: TaskForce) -> Content:
    """The task force's structure as playbook content (members and tasks are not part of it)."""
    head: dict[str, Any] = {}
    if taskforce.adopted is not None:
        head = {
            k: taskforce.adopted.content.get(k)
            for k in ("title", "title_en", "summary", "summary_en", "tags")
        }
    if not head.get("title"):
        head["title"] = _("%(community)s task force") % {
            "community": taskforce.community.short_name
        }
    groups = []
    for group in taskforce.groups.prefetch_related("positions", "entries"):
        entries = list(group.entries.all())
        item: dict[str, Any] = {
            "kind": group.kind,
            "name": group.name,
            "name_en": group.name_en,
            "positions": [{"name": p.name, "name_en": p.name_en} for p in group.positions.all()],
        }
        for section in TEXT_SECTIONS:
            item[section] = [
                {"text": e.text, "text_en": e.text_en} for e in entries if e.section == section
            ]
        item["templates"] = [
            {
                "title": e.text,
                "title_en": e.text_en,
                "body": e.body,
                "file_name": e.file_name,
                "file_base64": _b64(bytes(e.file)),
            }
            for e in entries
            if e.section == Entry.Section.TEMPLATE
        ]
        groups.append(item)
    return parse_content({**{k: v for k, v in head.items() if v is not None}, "groups": groups})


def _b64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode("ascii") if data else ""


def _apply(taskforce: TaskForce, content: Content) -> None:
    """Make the task force's structure match ``content``. Groups are matched by kind and
    positions by name, so members stay where they are; groups the content does not name are
    kept (they may hold tasks) but move to the end."""
    existing = {g.kind: g for g in taskforce.groups.all()}
    for order, spec in enumerate(content.groups):
        group = existing.pop(spec.kind, None)
        if group is None:
            group = Group.objects.create(
                taskforce=taskforce,
                kind=spec.kind,
                name=spec.name,
                name_en=spec.name_en,
                order=order,
            )
        else:
            group.name, group.name_en, group.order = spec.name, spec.name_en, order
            group.save(update_fields=["name", "name_en", "order"])
        positions = {p.name: p for p in group.positions.all()}
        for i, pos in enumerate(spec.positions):
            position = positions.pop(pos.name, None)
            if position is None:
                Position.objects.create(group=group, name=pos.name, name_en=pos.name_en, order=i)
            else:
                position.name_en, position.order = pos.name_en, i
                position.save(update_fields=["name_en", "order"])
        for stale in positions.values():
            stale.delete()  # its members stay in the group, without a position
        group.entries.all().delete()
        rows = []
        for section in TEXT_SECTIONS:
            rows += [
                Entry(group=group, section=section, order=i, text=t.text, text_en=t.text_en)
                for i, t in enumerate(getattr(spec, section))
            ]
        rows += [
            Entry(
                group=group,
                section=Entry.Section.TEMPLATE,
                order=i,
                text=t.title,
                text_en=t.title_en,
                body=t.body,
                file_name=t.file_name,
                file=t.file_bytes(),
            )
            for i, t in enumerate(spec.templates)
        ]
        Entry.objects.bulk_create(rows)
    for i, leftover in enumerate(existing.values()):
        leftover.order = len(content.groups) + i
        leftover.save(update_fields=["order"])


# ---------------------------------------------------------------- adopt, copy, publish


def do_adopt_playbook(*, actor: Any, community: Place, version: PlaybookVersion) -> TaskForce:
    """Set up (or bring up to date) the community's task force from a playbook version, in
    one transaction: groups, positions, duties, standards, process steps and templates."""
    _community(community)
    content = parse_content(version.content)
    with transaction.atomic():
        Place.objects.select_for_update().get(pk=community.pk)
        taskforce, _created = TaskForce.objects.get_or_create(community=community)
        _apply(taskforce, content)
        taskforce.adopted = version
        taskforce.save(update_fields=["adopted"])
    return taskforce


def do_copy_playbook(*, actor: Any, community: Place, version: PlaybookVersion) -> Playbook:
    """Copy another community's (or a built-in) playbook version as this community's own,
    keeping where it came from, and adopt it."""
    _community(community)
    if version.playbook.owner_id == community.pk:
        raise PlaybookError(_("This playbook is already your community's own"))
    content = parse_content(version.content)
    with transaction.atomic():
        playbook = Playbook.objects.create(
            owner=community, derived_from=version, shared=False, **_playbook_fields(content)
        )
        mine = PlaybookVersion.objects.create(
            playbook=playbook,
            number=1,
            content=content.as_dict(),
            note=_("Adapted from %(source)s") % {"source": version.label()},
            published_by=actor,
        )
        do_adopt_playbook(actor=actor, community=community, version=mine)
    return playbook


def do_publish_playbook(
    *, actor: Any, community: Place, note: str = "", shared: bool | None = None
) -> PlaybookVersion:
    """Publish the task force as it stands now as the next version of the community's own
    playbook (the first publication after adopting someone else's makes it the community's own,
    adapted from that one)."""
    with transaction.atomic():
        taskforce = TaskForce.objects.select_for_update().filter(community=community).first()
        if taskforce is None:
            raise PlaybookError(
                _("%(community)s has no task force yet") % {"community": community.name}
            )
        content = content_of(taskforce)
        adopted = taskforce.adopted
        if adopted is not None and adopted.playbook.owner_id == community.pk:
            playbook = adopted.playbook
            latest = playbook.latest()
            if latest is not None and parse_content(latest.content) == content:
                raise PlaybookError(
                    _("Nothing has changed since version %(number)s") % {"number": latest.number}
                )
            number = (playbook.versions.aggregate(m=Max("number"))["m"] or 0) + 1
        else:
            playbook = Playbook.objects.create(
                owner=community, derived_from=adopted, shared=False, **_playbook_fields(content)
            )
            number = 1
        if shared is not None:
            playbook.shared = shared
            playbook.save(update_fields=["shared"])
        version = PlaybookVersion.objects.create(
            playbook=playbook,
            number=number,
            content=content.as_dict(),
            note=note[:200],
            published_by=actor,
        )
        taskforce.adopted = version
        taskforce.save(update_fields=["adopted"])
    return version


def provenance(playbook: Playbook) -> str:
    """“adapted from 玉东社区 v3”, or empty for an original."""
    if playbook.derived_from is not None:
        return playbook.derived_from.label()
    return playbook.provenance_note


# ---------------------------------------------------------------- export and import


def export_text(community: Place) -> str:
    """The community's task force as one playbook file (YAML with schema version and checksum)."""
    taskforce = TaskForce.objects.filter(community=community).select_related("adopted").first()
    if taskforce is None:
        raise PlaybookError(
            _("%(community)s has no task force yet") % {"community": community.name}
        )
    adopted = taskforce.adopted
    own = adopted is not None and adopted.playbook.owner_id == community.pk
    source = {
        "community": community.code,
        "community_name": community.short_name,
        # the community's own published version; 0 when it has not published one yet
        "version": adopted.number if own and adopted else 0,
        "adapted_from": (provenance(adopted.playbook) if own else adopted.label())
        if adopted
        else "",
        "exported_at": timezone.now().isoformat(timespec="seconds"),
    }
    return fileformat.dump(content_of(taskforce), source)


def do_import_playbook(*, actor: Any, community: Place, raw: bytes | str) -> PlaybookVersion:
    """Read a playbook file and set up the community's task force from it. A corrupt or
    foreign file raises :class:`fileformat.PlaybookFileError` before anything is written."""
    _community(community)
    parsed = fileformat.load(raw)  # raises before any write
    content, source = parsed.content, parsed.source
    origin = ""
    if source.get("community") != community.code:
        name = str(source.get("community_name") or source.get("community") or "?")
        origin = f"{name} v{source['version']}" if source.get("version") else name
    with transaction.atomic():
        playbook = Playbook.objects.filter(owner=community, title=content.title).first()
        if playbook is None:
            playbook = Playbook.objects.create(
                owner=community,
                shared=False,
                provenance_note=(origin or str(source.get("adapted_from") or ""))[:200],
                **_playbook_fields(content),
            )
        latest = playbook.latest()
        if latest is not None and parse_content(latest.content) == content:
            version = latest
        else:
            version = PlaybookVersion.objects.create(
                playbook=playbook,
                number=(latest.number + 1) if latest else 1,
                content=content.as_dict(),
                note=(_("Imported from %(source)s") % {"source": origin})[:200] if origin else "",
                published_by=actor,
            )
        do_adopt_playbook(actor=actor, community=community, version=version)
    return version


def do_rate_playbook(
    *, actor: Any, community: Place, playbook: Playbook, stars: Any, comment: str = ""
) -> Rating:
    """One rating per community and playbook (a new one replaces the old)."""
    try:
        value = int(stars)
    except (TypeError, ValueError):
        raise PlaybookError(
            _("Stars: “%(value)s” is not a number from 1 to 5") % {"value": stars}
        ) from None
    if not 1 <= value <= 5:
        raise PlaybookError(_("Stars must be from 1 to 5 (got %(value)s)") % {"value": value})
    rating, _created = Rating.objects.update_or_create(
        playbook=playbook,
        community=_community(community),
        defaults={"stars": value, "comment": comment[:300], "by": actor},
    )
    return rating
