#!/usr/bin/python3
"""A GrpcDvc caller written against Python grpcio, as any portal team would write one.

Usage: dvc_peer.py TARGET DESCRIPTOR_SET SCENARIO [ARGS...]

The message classes come from a FileDescriptorSet of our protos (no generated code, so
Debian's protobuf runtime is enough). Every scenario prints one JSON object on stdout;
the xunit tests assert on it.
"""
import json
import sys
import time

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory


def load_pool(path):
    files = descriptor_pb2.FileDescriptorSet()
    with open(path, "rb") as f:
        files.ParseFromString(f.read())
    pool = descriptor_pool.DescriptorPool()
    for file in files.file:
        pool.Add(file)
    return pool


def message_class(pool, full_name):
    descriptor = pool.FindMessageTypeByName(full_name)
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(descriptor)
    return message_factory.MessageFactory(pool).GetPrototype(descriptor)


def unary(channel, pool, method, request, response_type, timeout=10):
    call = channel.unary_unary(
        method,
        request_serializer=lambda m: m.SerializeToString(),
        response_deserializer=message_class(pool, response_type).FromString,
    )
    return call(request, timeout=timeout)


def error(e):
    trailers = dict(e.trailing_metadata() or ())
    return {
        "status": e.code().name,
        "message": e.details(),
        "has_status_details": "grpc-status-details-bin" in trailers,
    }


def list_all(channel, pool, page_size, text=""):
    request_type = message_class(pool, "dvc.catalog.v1.ListProceduresRequest")
    codes, pages, token, total = [], 0, "", 0
    while True:
        request = request_type(text=text)
        request.page.page_size = page_size
        request.page.page_token = token
        response = unary(channel, pool, "/dvc.catalog.v1.CatalogService/ListProcedures", request,
                         "dvc.catalog.v1.ListProceduresResponse")
        pages += 1
        codes.extend(p.code for p in response.procedures)
        total = response.page.total_size
        token = response.page.next_page_token
        if not token or pages > 100:
            break
    return {"status": "OK", "codes": codes, "pages": pages, "total": total}


def get(channel, pool, code):
    request = message_class(pool, "dvc.catalog.v1.GetProcedureRequest")(code=code)
    response = unary(channel, pool, "/dvc.catalog.v1.CatalogService/GetProcedure", request,
                     "dvc.catalog.v1.GetProcedureResponse")
    p = response.procedure
    return {
        "status": "OK",
        "code": p.code,
        "name_vi": p.name.vi,
        "service_level": p.service_level,
        "agency_levels": [level.code for level in p.agency_levels],
        "processing_known": p.processing_time.known,
        "processing_amount": p.processing_time.amount,
        "fee_online_vnd": p.fees.online.vnd,
    }


def raw(channel, method):
    """Calls any method with an empty request, to see the status it ends with."""
    call = channel.unary_unary(method, request_serializer=lambda b: b, response_deserializer=lambda b: b)
    call(b"", timeout=10)
    return {"status": "OK"}


def warm_up(channel, pool):
    """Connects first, so a scenario's time budget is spent in its call, not in connecting."""
    request = message_class(pool, "dvc.testing.v1.EchoRequest")(text="warm-up")
    unary(channel, pool, "/dvc.testing.v1.ProbeService/Echo", request, "dvc.testing.v1.EchoResponse")


def sleep_call(channel, pool, request_id):
    """ProbeService.Sleep, which answers nothing until its call is cancelled."""
    call = channel.unary_unary(
        "/dvc.testing.v1.ProbeService/Sleep",
        request_serializer=lambda m: m.SerializeToString(),
        response_deserializer=message_class(pool, "dvc.testing.v1.EchoResponse").FromString,
    )
    return call, message_class(pool, "dvc.testing.v1.SleepRequest")(request_id=request_id)


def deadline(channel, pool, request_id, timeout):
    """Calls Sleep with a timeout; grpcio sends it as grpc-timeout and ends the call when it passes."""
    warm_up(channel, pool)
    call, request = sleep_call(channel, pool, request_id)
    call(request, timeout=timeout)
    return {"status": "OK"}


def cancel(channel, pool, request_id, after):
    """Starts Sleep as a future (with a far deadline) and cancels it after `after` seconds."""
    warm_up(channel, pool)
    call, request = sleep_call(channel, pool, request_id)
    future = call.future(request, timeout=30)
    time.sleep(after)
    accepted = future.cancel()
    return {"status": future.code().name, "cancel_accepted": accepted}


def main():
    target, descriptor_set, scenario, *args = sys.argv[1:]
    pool = load_pool(descriptor_set)
    with grpc.insecure_channel(target) as channel:
        try:
            if scenario == "list_all":
                result = list_all(channel, pool, int(args[0]), args[1] if len(args) > 1 else "")
            elif scenario == "get":
                result = get(channel, pool, args[0])
            elif scenario == "raw":
                result = raw(channel, args[0])
            elif scenario == "deadline":
                result = deadline(channel, pool, args[0], float(args[1]))
            elif scenario == "cancel":
                result = cancel(channel, pool, args[0], float(args[1]))
            else:
                raise SystemExit(f"unknown scenario {scenario}")
        except grpc.RpcError as e:
            result = error(e)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
