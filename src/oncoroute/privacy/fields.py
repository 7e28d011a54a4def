"""Model fields whose values are sealed with the row's data key before they reach the database.

The model supplies the key through ``data_key_resolve()``. Values cannot be filtered on in SQL:
a lookup or a ``QuerySet.update`` on such a field raises, so nothing is compared as plaintext.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core import validators
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from oncoroute.privacy import crypto

if TYPE_CHECKING:
    _TextBase = models.TextField[Any, Any]
else:
    _TextBase = models.TextField


class _Sealed(str):
    """A token as read from the database, not yet decrypted."""


class _Token(str):
    """A token made by ``pre_save``: the only kind of value written to an encrypted column."""


class _EncryptedAttribute(DeferredAttribute):
    """Decrypts on first access, with the key of the instance it belongs to."""

    field: EncryptedTextField

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, _Sealed):
            value = self.field.open(instance, value)
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class EncryptedTextField(_TextBase):
    """Text sealed with AES-GCM as ``v1:<data key id>:<base64>``."""

    descriptor_class = _EncryptedAttribute

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def _aad(self, instance: Any) -> str:
        return f"{instance._meta.label_lower}.{self.name}"

    def encode(self, value: Any) -> str:
        return str(value)

    def decode(self, text: str) -> Any:
        return text

    def open(self, instance: Any, token: str) -> Any:
        from oncoroute.privacy.keys import unwrap

        data_key = instance.data_key_resolve()
        if crypto.token_key_id(token) != data_key.pk:
            raise crypto.DecryptionError("The value was sealed with another row's key.")
        return self.decode(crypto.token_unseal(unwrap(data_key), token, self._aad(instance)))

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        raw = model_instance.__dict__.get(self.attname)
        if isinstance(raw, _Sealed):
            return _Token(raw)  # never read, so unchanged
        value = getattr(model_instance, self.attname)
        if value is None:
            return None
        from oncoroute.privacy.keys import unwrap

        data_key = model_instance.data_key_resolve()
        token = crypto.token_seal(
            unwrap(data_key), data_key.pk, self.encode(value), self._aad(model_instance)
        )
        return _Token(token)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is None or isinstance(value, _Token):
            return None if value is None else str(value)
        raise TypeError(
            f"{self.name} is encrypted: it is written only by saving its model instance and "
            "cannot be compared in SQL (use a blind index)."
        )

    def get_prep_value(self, value: Any) -> Any:
        return value

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return None if value is None else _Sealed(value)

    def to_python(self, value: Any) -> Any:
        return value

    def value_to_string(self, obj: Any) -> str:
        return self.encode(self.value_from_object(obj))


class EncryptedJSONField(EncryptedTextField):
    """JSON sealed like ``EncryptedTextField``; the Python value is a dict or a list."""

    if TYPE_CHECKING:
        _pyi_private_set_type: Any
        _pyi_private_get_type: Any

    def encode(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    def decode(self, text: str) -> Any:
        return json.loads(text)

    def validate(self, value: Any, model_instance: Any) -> None:
        if (not self.blank and value in self.empty_values) or self.choices:
            super().validate(value, model_instance)

    def formfield(self, **kwargs: Any) -> Any:
        return models.JSONField().formfield(**kwargs)


class EncryptedDateField(EncryptedTextField):
    """A date sealed like ``EncryptedTextField`` as its ISO text; the Python value is a date."""

    if TYPE_CHECKING:
        _pyi_private_set_type: Any
        _pyi_private_get_type: Any

    def encode(self, value: Any) -> str:
        return (value if isinstance(value, date) else date.fromisoformat(str(value))).isoformat()

    def decode(self, text: str) -> Any:
        return date.fromisoformat(text)
