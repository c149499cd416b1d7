// The sample citizen portal: lists the administrative procedures (unary ListProcedures) and
// watches the server's health (server-streaming Health/Watch), both over gRPC-Web.
// ?format=text uses application/grpc-web-text; ?server=<url> calls an API on another origin.
import { GrpcWebClient, GrpcWebError, StatusName } from './grpc-web.js';
import {
  Rpc, ServiceLevel, ProcedureField, encodeListProceduresRequest, decodeListProceduresResponse,
  encodeHealthCheckRequest, decodeHealthCheckResponse,
} from './messages.js';

const params = new URLSearchParams(location.search);
const server = params.get('server') ?? '';
const $ = (id) => document.getElementById(id);
const form = $('search');
const format = $('format');
format.value = params.get('format') === 'text' ? 'text' : 'binary';

const client = () => new GrpcWebClient(server, { format: format.value });
const timeUnits = { 1: 'ngày làm việc', 2: 'ngày', 3: 'Giải quyết ngay' };
const vnd = new Intl.NumberFormat('vi-VN', { style: 'currency', currency: 'VND' });

async function listProcedures(text) {
  const table = $('procedures');
  const status = $('procedure-status');
  table.dataset.state = 'loading';
  status.textContent = 'Đang tải danh sách thủ tục…';
  try {
    const procedures = [];
    let pageToken = '';
    do {
      const { message } = await client().unary(Rpc.listProcedures, encodeListProceduresRequest({ pageSize: 50, pageToken, text }), { timeoutMs: 10000 });
      const page = decodeListProceduresResponse(message);
      procedures.push(...page.procedures);
      pageToken = page.nextPageToken;
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
    const levels = p.agencyLevels.map((l) => l.name.vi).join(', ');
    for (const [text, className] of [
      [p.code, 'code'],
      [p.name.vi, 'name'],
      [ServiceLevel[p.serviceLevel] ?? '', 'level'],
      [ProcedureField[p.field] ?? '', 'field'],
      [levels, 'agency'],
      [processingTime(p.processingTime), 'time'],
      [p.onlineFee === null ? '—' : p.onlineFee === 0 ? 'Miễn phí' : vnd.format(p.onlineFee), 'fee'],
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
  if (time.unit === 3) return timeUnits[3];
  return `${time.amount.toLocaleString('vi-VN')} ${timeUnits[time.unit] ?? ''}`.trim();
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
    await client().serverStreaming(Rpc.healthWatch, encodeHealthCheckRequest(''), (message) => {
      const status = decodeHealthCheckResponse(message);
      state.textContent = status === 'SERVING' ? 'Máy chủ đang phục vụ' : `Máy chủ: ${status}`;
      state.dataset.state = status;
      const item = document.createElement('li');
      item.textContent = `${new Date().toLocaleTimeString('vi-VN')} — ${status}`;
      events.append(item);
    }, { signal: watch.signal });
    state.textContent = 'Luồng theo dõi đã kết thúc';
    state.dataset.state = 'ended';
  } catch (e) {
    if (e instanceof GrpcWebError && e.code === 1) return; // we cancelled it to start again
    const unsupported = e instanceof GrpcWebError && e.code === 12;
    state.textContent = unsupported ? 'Máy chủ này chưa cung cấp dịch vụ theo dõi trạng thái (grpc.health.v1.Health).' : `Không theo dõi được: ${describe(e)}`;
    state.dataset.state = unsupported ? 'unsupported' : 'error';
  }
}

function describe(error) {
  return error instanceof GrpcWebError ? `${StatusName[error.code] ?? error.code} — ${error.details}` : String(error);
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
