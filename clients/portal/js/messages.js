// The portal's messages, encoded and decoded by hand from the contract in protos/:
// dvc/catalog/v1/catalog.proto, dvc/common/v1/*.proto and grpc/health/v1/health.proto.
import { ProtoWriter, readFields } from './protobuf.js';

export const Rpc = Object.freeze({
  listProcedures: '/dvc.catalog.v1.CatalogService/ListProcedures',
  healthWatch: '/grpc.health.v1.Health/Watch',
});

export const ServiceLevel = Object.freeze({ 3: 'Mức độ 3', 4: 'Mức độ 4' });

export const ProcedureField = Object.freeze({
  1: 'Cư trú',
  2: 'Căn cước',
  3: 'Ngành nghề kinh doanh có điều kiện về an ninh, trật tự',
  4: 'Con dấu',
});

export const ServingStatus = Object.freeze({ 0: 'UNKNOWN', 1: 'SERVING', 2: 'NOT_SERVING', 3: 'SERVICE_UNKNOWN' });

/** ListProceduresRequest { PageRequest page = 1 { page_size = 1, page_token = 2 }; string text = 5; } */
export function encodeListProceduresRequest({ pageSize = 0, pageToken = '', text = '' } = {}) {
  return new ProtoWriter()
    .message(1, (page) => page.int(1, pageSize).string(2, pageToken))
    .string(5, text)
    .finish();
}

/** ListProceduresResponse { repeated Procedure procedures = 1; PageInfo page = 2 { next_page_token = 1, total_size = 2 } } */
export function decodeListProceduresResponse(bytes) {
  const result = { procedures: [], nextPageToken: '', totalSize: 0 };
  readFields(bytes, (r, field) => {
    if (field === 1) result.procedures.push(decodeProcedure(r.bytes()));
    else if (field === 2) {
      readFields(r.bytes(), (p, f) => {
        if (f === 1) result.nextPageToken = p.string();
        else if (f === 2) result.totalSize = p.varint();
        else return false;
      });
    } else return false;
  });
  return result;
}

/** The fields of Procedure the portal shows: code, name, level, field, agency levels, processing time, fees. */
function decodeProcedure(bytes) {
  const p = { code: '', name: { vi: '', en: '' }, serviceLevel: 0, field: 0, agencyLevels: [], processingTime: null, onlineFee: null };
  readFields(bytes, (r, field) => {
    switch (field) {
      case 1: p.code = r.string(); break;
      case 2: p.name = decodeLocalizedText(r.bytes()); break;
      case 3: p.serviceLevel = r.varint(); break;
      case 4: p.field = r.varint(); break;
      case 5: p.agencyLevels.push(decodeAgencyLevel(r.bytes())); break;
      case 6: p.processingTime = decodeProcessingTime(r.bytes()); break;
      case 7: p.onlineFee = decodeOnlineFee(r.bytes()); break;
      default: return false;
    }
  });
  return p;
}

function decodeLocalizedText(bytes) {
  const text = { vi: '', en: '' };
  readFields(bytes, (r, field) => {
    if (field === 1) text.vi = r.string();
    else if (field === 2) text.en = r.string();
    else return false;
  });
  return text;
}

/** AgencyLevel { code = 1; LocalizedText name = 2; rank = 3 } */
function decodeAgencyLevel(bytes) {
  const level = { code: '', name: { vi: '', en: '' } };
  readFields(bytes, (r, field) => {
    if (field === 1) level.code = r.string();
    else if (field === 2) level.name = decodeLocalizedText(r.bytes());
    else return false;
  });
  return level;
}

/** ProcessingTime { bool known = 1; TimeUnit unit = 2; double amount = 3; LocalizedText note = 4 } */
function decodeProcessingTime(bytes) {
  const time = { known: false, unit: 0, amount: 0 };
  readFields(bytes, (r, field) => {
    if (field === 1) time.known = r.varint() !== 0;
    else if (field === 2) time.unit = r.varint();
    else if (field === 3) time.amount = r.double();
    else return false;
  });
  return time;
}

/** Fees { bool known = 1; Money online = 3 { int64 vnd = 1 } }: the online fee in VND, or null when not published. */
function decodeOnlineFee(bytes) {
  let known = false;
  let vnd = 0;
  readFields(bytes, (r, field) => {
    if (field === 1) known = r.varint() !== 0;
    else if (field === 3) {
      readFields(r.bytes(), (m, f) => {
        if (f === 1) vnd = m.varint();
        else return false;
      });
    } else return false;
  });
  return known ? vnd : null;
}

/** HealthCheckRequest { string service = 1 } ('' = the whole server) */
export function encodeHealthCheckRequest(service = '') {
  return new ProtoWriter().string(1, service).finish();
}

/** HealthCheckResponse { ServingStatus status = 1 } */
export function decodeHealthCheckResponse(bytes) {
  let status = 0;
  readFields(bytes, (r, field) => {
    if (field === 1) status = r.varint();
    else return false;
  });
  return ServingStatus[status] ?? String(status);
}
