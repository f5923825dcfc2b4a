"""Input validation for the pages (crispy-forms, Bootstrap 5), one module per part of the
product; writes happen in services. The pages import the forms from here."""

from meetings.forms.actions import ActionItemForm, ActionProgressForm, ActionReviewForm
from meetings.forms.base import BoundedText, DateInput, MemberChoiceField, TimeInput, VersionedForm
from meetings.forms.documents import MinutesVerifyForm
from meetings.forms.meetings import (
    AddendumForm,
    ConclusionForm,
    FollowerForm,
    GuestForm,
    MeetingEndForm,
    MinutesAdoptionForm,
    ReservationForm,
    ReservationFormSet,
    ResolutionForm,
    ScheduleForm,
    SpeechForm,
    StepForm,
    TimesForm,
    local_time,
)
from meetings.forms.members import CellDocumentSettingsForm, MemberForm, MemberImportForm
from meetings.forms.plans import PlanCreateForm, PlanMeetingForm
from meetings.forms.signing import PKCS12_MAX_BYTES, CertificateUploadForm, MinutesSignForm
from meetings.forms.topics import (
    CompletedTopicForm,
    ContributionAssignForm,
    LeadAuthorForm,
    LeadPaperForm,
    TopicEditForm,
)

__all__ = [
    "PKCS12_MAX_BYTES",
    "ActionItemForm",
    "ActionProgressForm",
    "ActionReviewForm",
    "AddendumForm",
    "BoundedText",
    "CellDocumentSettingsForm",
    "CertificateUploadForm",
    "CompletedTopicForm",
    "ConclusionForm",
    "ContributionAssignForm",
    "DateInput",
    "FollowerForm",
    "GuestForm",
    "LeadAuthorForm",
    "LeadPaperForm",
    "MeetingEndForm",
    "MemberChoiceField",
    "MemberForm",
    "MemberImportForm",
    "MinutesAdoptionForm",
    "MinutesSignForm",
    "MinutesVerifyForm",
    "PlanCreateForm",
    "PlanMeetingForm",
    "ReservationForm",
    "ReservationFormSet",
    "ResolutionForm",
    "ScheduleForm",
    "SpeechForm",
    "StepForm",
    "TimeInput",
    "TimesForm",
    "TopicEditForm",
    "VersionedForm",
    "local_time",
]
