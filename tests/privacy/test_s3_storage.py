"""Records in an S3-compatible bucket: sealed in the process exactly as on disk, read back
decrypted, and an unreachable bucket is a clear error that leaves nothing behind. The bucket is
moto's server, started here on a loopback port."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from django.core.files.base import ContentFile
from moto.server import ThreadedMotoServer

from oncoroute.privacy import crypto
from oncoroute.privacy.keys import data_key_by_id
from oncoroute.privacy.s3storage import EncryptedS3Storage

pytestmark = pytest.mark.django_db

BUCKET = "oncoroute-records"
SECRET = b"%PDF-1.7 MRI report of the lumbar spine, T12 lesion\n" * 200


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def _storage(endpoint: str, **options: Any) -> EncryptedS3Storage:
    return EncryptedS3Storage(
        bucket_name=BUCKET,
        endpoint_url=endpoint,
        region_name="us-east-1",
        access_key="testing",
        secret_key="testing",
        file_overwrite=False,
        default_acl=None,
        **options,
    )


@pytest.fixture
def bucket(s3_endpoint: str, settings: Any, tmp_path: Path) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])


def test_a_file_leaves_the_process_sealed_and_reads_back_whole(
    bucket: Any, s3_endpoint: str, patient_case: Any
) -> None:
    storage = _storage(s3_endpoint)
    name = storage.save(f"records/{patient_case.pk}/documents/report.pdf", ContentFile(SECRET))

    stored = bucket.get_object(Bucket=BUCKET, Key=name)["Body"].read()
    assert b"lumbar" not in stored
    # The same sealed format as on disk: the folder storage's reader opens the bucket's bytes.
    assert crypto.DecryptingReader(io.BytesIO(stored), data_key_by_id).read() == SECRET
    assert storage.open(name).read() == SECRET
    assert storage.size(name) == len(SECRET)
    assert storage.exists(name)


def test_an_unreachable_bucket_is_an_error_and_leaves_nothing(
    bucket: Any, s3_endpoint: str, patient_case: Any, settings: Any
) -> None:
    # Nothing listens on the discard port.
    unreachable = Config(connect_timeout=1, retries={"max_attempts": 1})
    storage = _storage("http://127.0.0.1:9", client_config=unreachable)
    # An OSError, as from a full disk: callers handle one kind of storage failure.
    with pytest.raises(OSError) as raised:
        storage.save(f"records/{patient_case.pk}/documents/report.pdf", ContentFile(SECRET))
    assert "lumbar" not in str(raised.value)
    assert bucket.list_objects_v2(Bucket=BUCKET).get("KeyCount", 0) == 0
    # The sealed scratch copy is gone with the failed upload.
    partial = Path(settings.MEDIA_ROOT) / "partial"
    assert not partial.exists() or not any(partial.iterdir())
