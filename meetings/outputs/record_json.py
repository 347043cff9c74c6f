"""The record as JSON: build_record's dictionary as it is (schema in meetings.outputs.record),
accents kept as text."""

import json


def to_json(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, indent=2)
