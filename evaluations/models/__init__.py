from evaluations.models.assessment import Assessment, EvaluationEvent, Evidence
from evaluations.models.commendation import Commendation
from evaluations.models.criteria import CriteriaSet, Criterion
from evaluations.models.documents import DocumentCounter, DocumentKind, Draft, IssuedDocument
from evaluations.models.evaluation import Evaluation, Meeting, MeetingParticipant, Stage
from evaluations.models.movement import ItemScore, ScoreItem, ScoreSheet, ScoreTemplate
from evaluations.models.records import DisciplineRecord, Rating, UnitRating

__all__ = [
    "Assessment",
    "Commendation",
    "CriteriaSet",
    "Criterion",
    "DisciplineRecord",
    "DocumentCounter",
    "DocumentKind",
    "Draft",
    "Evaluation",
    "EvaluationEvent",
    "Evidence",
    "IssuedDocument",
    "ItemScore",
    "Meeting",
    "MeetingParticipant",
    "Rating",
    "ScoreItem",
    "ScoreSheet",
    "ScoreTemplate",
    "Stage",
    "UnitRating",
]
