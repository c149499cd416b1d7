#!/usr/bin/python3
"""Calls GrpcDvc's catalog from Python grpcio with generated code (run it through run.sh).

Usage: example.py [SERVER]   (host:port of the gRPC endpoint, default 127.0.0.1:5080)

1. ListProcedures, first page: each procedure's code and Vietnamese name.
2. GetProcedure for the first code listed.
3. GetProcedure with an empty code: INVALID_ARGUMENT, and the google.rpc.Status the server
   puts in the grpc-status-details-bin trailer, decoded: BadRequest field violations, ErrorInfo.
"""
import os
import sys

# run.sh generates the code beside this file.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "generated"))

import grpc  # noqa: E402
from dvc.catalog.v1 import catalog_pb2, catalog_pb2_grpc  # noqa: E402
from google.rpc import error_details_pb2, status_pb2  # noqa: E402

TIMEOUT_SECONDS = 10


def list_first_page(catalog):
    request = catalog_pb2.ListProceduresRequest()
    request.page.page_size = 10
    response = catalog.ListProcedures(request, timeout=TIMEOUT_SECONDS)
    print(f"ListProcedures: {len(response.procedures)} of {response.page.total_size} procedures")
    for procedure in response.procedures:
        print(f"  {procedure.code}  {procedure.name.vi}")
    return response.procedures


def show_procedure(catalog, code):
    procedure = catalog.GetProcedure(catalog_pb2.GetProcedureRequest(code=code), timeout=TIMEOUT_SECONDS).procedure
    print(f"GetProcedure {code}: {procedure.name.vi}")
    print(f"  level: {catalog_pb2.ServiceLevel.Name(procedure.service_level)}")
    time = procedure.processing_time
    if time.known:
        unit = catalog_pb2.TimeUnit.Name(time.unit).removeprefix("TIME_UNIT_").replace("_", " ").lower()
        print(f"  processing time: {time.amount:g} {unit}")
    for agency in procedure.agency_levels:
        print(f"  handled by: {agency.name.vi}")


def status_details(error):
    """The google.rpc.Status of a failed call, or None when the server sent none."""
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            return status_pb2.Status.FromString(value)
    return None


def show_rich_error(catalog):
    print("GetProcedure with an empty code:")
    try:
        catalog.GetProcedure(catalog_pb2.GetProcedureRequest(code=""), timeout=TIMEOUT_SECONDS)
    except grpc.RpcError as error:
        print(f"  status: {error.code().name}: {error.details()}")
        status = status_details(error)
        if status is None:
            print("  no grpc-status-details-bin trailer")
            return False
        for detail in status.details:
            bad_request, info = error_details_pb2.BadRequest(), error_details_pb2.ErrorInfo()
            if detail.Unpack(bad_request):
                for violation in bad_request.field_violations:
                    print(f"  field violation: {violation.field}: {violation.description} ({violation.reason})")
            elif detail.Unpack(info):
                print(f"  error info: {info.reason} ({info.domain})")
            else:
                print(f"  detail: {detail.type_url}")
        return error.code() == grpc.StatusCode.INVALID_ARGUMENT
    print("  unexpected: the call succeeded")
    return False


def main():
    server = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:5080"
    with grpc.insecure_channel(server) as channel:
        catalog = catalog_pb2_grpc.CatalogServiceStub(channel)
        try:
            procedures = list_first_page(catalog)
            if procedures:
                show_procedure(catalog, procedures[0].code)
            ok = show_rich_error(catalog)
        except grpc.RpcError as error:
            print(f"{server}: {error.code().name}: {error.details()}", file=sys.stderr)
            if error.code() == grpc.StatusCode.UNAVAILABLE:
                print("Is the server running? dotnet run --project server/GrpcDvc.Server", file=sys.stderr)
            return 1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
