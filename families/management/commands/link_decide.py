"""``manage.py link_decide --source NAME --id SOURCE_PERSON_ID (--person PERSON_REF |
--no-match | --unlink) --by USERNAME [--note TEXT]`` (linkage.md, "Command line")."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from families.linkage.services import (
    LinkDecisionRefused,
    source_person_link,
    source_person_no_match,
    source_person_unlink,
)
from families.models import Person, SourcePerson


class Command(BaseCommand):
    help = "Decide on one source person's link: to a person, no match, or unlink."

    def add_arguments(self, parser):
        parser.add_argument("--source", required=True, help="the partner system, e.g. dwp")
        parser.add_argument("--id", required=True, help="the source's own id for the person")
        decision = parser.add_mutually_exclusive_group(required=True)
        decision.add_argument("--person", help="link to this person_ref")
        decision.add_argument("--no-match", action="store_true", help="none of the candidates")
        decision.add_argument("--unlink", action="store_true", help="undo its link")
        parser.add_argument("--by", required=True, help="the username deciding")
        parser.add_argument("--note", default="", help="why (kept in the history)")

    def handle(self, *args, source, id, person, no_match, unlink, by, note, **options):
        source_person = SourcePerson.objects.filter(source=source, source_person_id=id).first()
        if source_person is None:
            raise CommandError(f"No source person {id} from {source}.")
        user = User.objects.filter(username=by, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {by}.")
        try:
            if person is not None:
                found = Person.objects.filter(ref=person).first()
                if found is None:
                    raise CommandError(f"No person {person}.")
                decided = source_person_link(
                    source_person=source_person, person=found, by=user, note=note
                )
            elif no_match:
                decided = source_person_no_match(source_person=source_person, by=user, note=note)
            else:
                decided = source_person_unlink(source_person=source_person, by=user, note=note)
        except LinkDecisionRefused as refused:
            raise CommandError(str(refused)) from None
        linked_to = f" to {decided.person.ref}" if decided.person else ""
        self.stdout.write(f"{source} {id}: {decided.get_status_display().lower()}{linked_to}.")
