// The sample citizen portal: lists the administrative procedures (unary ListProcedures) and
// watches the server's health (server-streaming Health/Watch), both over gRPC-Web.
// Messages and clients are generated from the protos by protobuf-ts (build.sh, into gen/); its
// GrpcWebFetchTransport frames the calls over fetch, in the binary format or, with ?format=text, the
// base64 text format (application/grpc-web-text). ?server=<url> calls an API on another origin.
import { GrpcWebFetchTransport } from '@protobuf-ts/grpcweb-transport';
import { RpcError } from '@protobuf-ts/runtime-rpc';
import { CatalogServiceClient } from '../gen/dvc/catalog/v1/catalog.client';
import { ListProceduresRequest, ProcedureField, ServiceLevel, TimeUnit } from '../gen/dvc/catalog/v1/catalog';
import { HealthClient } from '../gen/health/v1/health.client';
import { HealthCheckRequest, HealthCheckResponse_ServingStatus as ServingStatus } from '../gen/health/v1/health';

const params = new URLSearchParams(location.search);
const server = (params.get('server') ?? '').replace(/\/$/, '');
const $ = (id) => document.getElementById(id);
const form = $('search');
const format = $('format');
format.value = params.get('format') === 'text' ? 'text' : 'binary';

// A new transport per call picks up the format chosen at that moment ('' = this page's origin).
const transport = () => new GrpcWebFetchTransport({ baseUrl: server, format: format.value });

const serviceLevels = { [ServiceLevel.SERVICE_LEVEL_3]: 'Mức độ 3', [ServiceLevel.SERVICE_LEVEL_4]: 'Mức độ 4' };
const fields = {
  [ProcedureField.RESIDENCE]: 'Cư trú',
  [ProcedureField.IDENTITY]: 'Căn cước',
  [ProcedureField.SECURITY_CONDITIONAL_BUSINESS]: 'Ngành nghề kinh doanh có điều kiện về an ninh, trật tự',
  [ProcedureField.SEALS]: 'Con dấu',
};
const timeUnits = { [TimeUnit.WORKING_DAYS]: 'ngày làm việc', [TimeUnit.CALENDAR_DAYS]: 'ngày', [TimeUnit.IMMEDIATE]: 'Giải quyết ngay' };
const vnd = new Intl.NumberFormat('vi-VN', { style: 'currency', currency: 'VND' });

async function listProcedures(text) {
  const table = $('procedures');
  const status = $('procedure-status');
  table.dataset.state = 'loading';
  status.textContent = 'Đang tải danh sách thủ tục…';
  try {
    const catalog = new CatalogServiceClient(transport());
    const procedures = [];
    let pageToken = '';
    do {
      const request = ListProceduresRequest.create({ page: { pageSize: 50, pageToken }, text });
      const { response } = await catalog.listProcedures(request, { timeout: 10_000 });
      procedures.push(...response.procedures);
      pageToken = response.page?.nextPageToken ?? '';
    } while (pageToken);
    renderProcedures(procedures);
    status.textContent = `${procedures.length} thủ tục`;
    table.dataset.state = 'loaded';
  } catch (e) {
    status.textContent = `Không tải được danh sách: ${describe(e)}`;
    table.dataset.state = 'error';
  }
}

function renderProcedures(procedures) {
  const rows = procedures.map((p) => {
    const row = document.createElement('tr');
    row.dataset.code = p.code;
    const levels = p.agencyLevels.map((l) => l.name?.vi ?? '').join(', ');
    for (const [text, className] of [
      [p.code, 'code'],
      [p.name?.vi ?? '', 'name'],
      [serviceLevels[p.serviceLevel] ?? '', 'level'],
      [fields[p.field] ?? '', 'field'],
      [levels, 'agency'],
      [processingTime(p.processingTime), 'time'],
      [onlineFee(p.fees), 'fee'],
    ]) {
      const cell = document.createElement('td');
      cell.className = className;
      cell.textContent = text;
      row.append(cell);
    }
    return row;
  });
  $('procedure-rows').replaceChildren(...rows);
}

function processingTime(time) {
  if (!time?.known) return '—';
  if (time.unit === TimeUnit.IMMEDIATE) return timeUnits[TimeUnit.IMMEDIATE];
  return `${time.amount.toLocaleString('vi-VN')} ${timeUnits[time.unit] ?? ''}`.trim();
}

/** The online fee in VND (int64, a bigint here); '—' when the catalog has not published it. */
function onlineFee(fees) {
  if (!fees?.known) return '—';
  const amount = fees.online?.vnd ?? 0n;
  return amount === 0n ? 'Miễn phí' : vnd.format(amount);
}

let watch = null;

async function watchHealth() {
  watch?.abort();
  watch = new AbortController();
  const state = $('health-state');
  const events = $('health-events');
  events.replaceChildren();
  state.textContent = 'Đang kết nối…';
  state.dataset.state = 'connecting';
  try {
    const call = new HealthClient(transport()).watch(HealthCheckRequest.create({ service: '' }), { abort: watch.signal });
    for await (const message of call.responses) {
      const status = ServingStatus[message.status] ?? String(message.status);
      state.textContent = status === 'SERVING' ? 'Máy chủ đang phục vụ' : `Máy chủ: ${status}`;
      state.dataset.state = status;
      const item = document.createElement('li');
      item.textContent = `${new Date().toLocaleTimeString('vi-VN')} — ${status}`;
      events.append(item);
    }
    state.textContent = 'Luồng theo dõi đã kết thúc';
    state.dataset.state = 'ended';
  } catch (e) {
    if (e instanceof RpcError && e.code === 'CANCELLED') return; // we cancelled it to start again
    const unsupported = e instanceof RpcError && e.code === 'UNIMPLEMENTED';
    state.textContent = unsupported ? 'Máy chủ này chưa cung cấp dịch vụ theo dõi trạng thái (grpc.health.v1.Health).' : `Không theo dõi được: ${describe(e)}`;
    state.dataset.state = unsupported ? 'unsupported' : 'error';
  }
}

function describe(error) {
  return error instanceof RpcError ? `${error.code} — ${statusMessage(error.message)}` : String(error);
}

// grpc-message is percent-encoded on the wire (PROTOCOL-HTTP2.md) and the transport hands it over as it came.
function statusMessage(message) {
  try {
    return decodeURIComponent(message);
  } catch {
    return message;
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  listProcedures($('text').value.trim());
});
format.addEventListener('change', () => {
  listProcedures($('text').value.trim());
  watchHealth();
});

listProcedures('');
watchHealth();
