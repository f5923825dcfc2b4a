import pytest
from django.core.exceptions import ValidationError

from meetings import workflow
from meetings.workflow import ORDER, Stage


@pytest.mark.parametrize("current", ORDER[:-1])
def test_forward_only_one_step_at_a_time(current):
    for target in workflow.ALLOWED[current]:
        if workflow.is_forward(current, target):
            assert ORDER.index(target) == ORDER.index(current) + 1


def test_backward_allowed_before_finalisation():
    assert Stage.PREPARING in workflow.ALLOWED[Stage.NOTICED]
    assert Stage.IN_PROGRESS in workflow.ALLOWED[Stage.HELD]


def test_nothing_follows_finalisation():
    assert workflow.allowed_targets(Stage.FINALIZED) == []
    with pytest.raises(ValidationError):
        workflow.check_transition(Stage.FINALIZED, Stage.HELD)


def test_skip_refused_with_vietnamese_message():
    with pytest.raises(ValidationError, match="Không thể chuyển"):
        workflow.check_transition(Stage.PLANNED, Stage.SCHEDULED)


def test_nine_steps():
    assert len(workflow.STEPS) == 9 and workflow.STEP_NUMBER[workflow.Step.CONCLUSION] == 9
