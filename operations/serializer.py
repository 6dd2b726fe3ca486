"""Django's JSON serialisation without its one loss: times keep their microseconds.

`DjangoJSONEncoder` cuts datetimes to milliseconds; a restored site would then differ from the
original (and revisions made within one millisecond would tie). Loading needs nothing special:
Django's JSON deserialiser parses full ISO 8601 times.
"""

import datetime

from django.core.serializers.json import (
    Deserializer,  # noqa: F401 - a serialiser module exports both
    DjangoJSONEncoder,
)
from django.core.serializers.json import Serializer as JSONSerializer


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactJSONEncoder
