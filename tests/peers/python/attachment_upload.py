#!/usr/bin/python3
"""Uploads a file to DossierService.UploadAttachment with Python grpcio's client streaming.

Usage: attachment_upload.py TARGET DESCRIPTOR_SET ACCESS_TOKEN FILE CONTENT_TYPE [CHUNK_BYTES]

The header first, then the file in chunks from a generator (grpcio sends them as the server's flow control
allows). Message classes come from a FileDescriptorSet of our protos, as in dvc_peer.py. Prints one JSON
object: the SHA-256 computed here and the attachment the server answered.
"""
import hashlib
import json
import os
import sys
import uuid

import grpc

from dvc_peer import error, load_pool, message_class


def requests(pool, path, content_type, chunk_bytes, digest):
    request_type = message_class(pool, "dvc.dossiers.v1.UploadAttachmentRequest")
    first = request_type()
    first.header.request_id = str(uuid.uuid4())
    first.header.file_name = os.path.basename(path)
    first.header.content_type = content_type
    first.header.size = os.path.getsize(path)
    first.header.sha256 = digest
    first.header.document_name = "Ảnh chân dung"
    yield first
    with open(path, "rb") as f:
        while True:
            chunk = f.read(chunk_bytes)
            if not chunk:
                return
            yield request_type(chunk=chunk)


def main():
    target, descriptor_set, token, path, content_type, *rest = sys.argv[1:]
    chunk_bytes = int(rest[0]) if rest else 64 * 1024
    pool = load_pool(descriptor_set)
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    with grpc.insecure_channel(target) as channel:
        upload = channel.stream_unary(
            "/dvc.dossiers.v1.DossierService/UploadAttachment",
            request_serializer=lambda m: m.SerializeToString(),
            response_deserializer=message_class(pool, "dvc.dossiers.v1.UploadAttachmentResponse").FromString,
        )
        try:
            response = upload(requests(pool, path, content_type, chunk_bytes, digest),
                              metadata=(("authorization", "Bearer " + token),), timeout=30)
            a = response.attachment
            result = {"status": "OK", "local_sha256": digest, "id": a.id, "sha256": a.sha256, "size": a.size,
                      "content_type": a.content_type, "file_name": a.file_name}
        except grpc.RpcError as e:
            result = error(e)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
