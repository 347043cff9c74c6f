"""The meetings the record's files are tested on: the demo meeting of
`make_demo_meeting --panelists 6` (six seats, two rounds, run to the end), the small meeting
of test_record (RCM and CSM, exact times) and the whole meeting of whole_meeting (remarks, a
round, the dialogue, a break, delegations)."""

import io

import pytest
from django.core.management import call_command

from meetings.models import Meeting
from tests.meetings.outputs.test_record import small_meeting
from tests.meetings.outputs.whole_meeting import whole_meeting


@pytest.fixture
def demo(seeded):
    call_command("make_demo_meeting", "--slug", "demo", "--panelists", "6", stdout=io.StringIO())
    return Meeting.objects.get(slug="demo")


@pytest.fixture
def small():
    return small_meeting(clerk=None)


@pytest.fixture
def whole():
    return whole_meeting()
