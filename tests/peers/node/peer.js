#!/usr/bin/env node
/*
 * A GrpcDvc caller written against the official Node.js gRPC client (@grpc/grpc-js +
 * @grpc/proto-loader), as a portal team using Node would write one. The xunit tests run it.
 *
 * Usage: node peer.js TARGET SCENARIO [ARGS...]      (TARGET is host:port, plaintext HTTP/2)
 *
 * Every scenario prints exactly ONE JSON object on stdout and exits 0, also when the rpc
 * fails: the failure is part of the JSON ({"status": <grpc status name>, "code": <number>,
 * "details": <message>}). A non-zero exit means a bug in this harness (64: bad usage,
 * 70: unexpected exception, its stack on stderr).
 *
 * Scenarios:
 *   special_status                 TestService/UnaryCall echoing a status message full of
 *                                  whitespace, BMP and non-BMP characters.
 *   gzip_response                  TestService/UnaryCall with gzip both ways.
 *   health_watch SERVICE           grpc.health.v1.Health/Watch until 2 distinct statuses or 15 s.
 *                                  Writes the line {"watching":true} to STDERR once the first
 *                                  status arrived, so the caller knows when to flip the status.
 *   rich_error                     CatalogService/GetProcedure("NO-SUCH"), decoding
 *                                  grpc-status-details-bin as google.rpc.Status.
 *   rich_error_bad_request         CatalogService/ListProcedures(page_size -1), same output.
 *   reflection_list                grpc.reflection.v1 list_services.
 *   reflection_v1alpha_list        grpc.reflection.v1alpha list_services.
 *   reflection_file_containing SYMBOL
 *                                  grpc.reflection.v1 file_containing_symbol.
 *   unary_raw METHOD               Any method (/pkg.Service/Method), empty request, raw bytes.
 */
'use strict';

const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

// protobufjs is not a direct dependency: take the copy proto-loader itself uses, so the
// descriptor extension below extends the same runtime.
const protoLoaderDir = path.dirname(require.resolve('@grpc/proto-loader/package.json'));
const requireProtobufjs = (id) => require(require.resolve(id, { paths: [protoLoaderDir] }));
const protobuf = requireProtobufjs('protobufjs');
const descriptor = requireProtobufjs('protobufjs/ext/descriptor');

const PROTOS_ROOT = path.resolve(__dirname, '../../../protos');
// Debian's grpc-proto package: the official grpc/testing, health and reflection protos.
const SYSTEM_PROTOS = '/usr/share/grpc-proto';
const LOADER_OPTIONS = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTOS_ROOT, SYSTEM_PROTOS],
};
// How decoded google.rpc detail messages are turned into JSON: every field present, so the
// C# side can assert on keys without caring whether a value happens to be the default.
const TO_OBJECT = { longs: String, enums: String, bytes: String, defaults: true, arrays: true, objects: true };

const CALL_SECONDS = 10;
const WATCH_MILLISECONDS = 15000;
const GZIP = 2; // grpc-js CompressionAlgorithms: 0 identity, 1 deflate, 2 gzip.

// Interop "special_status_message": leading/trailing whitespace, CR LF, and a character
// outside the BMP (a UTF-16 surrogate pair in JS) must all survive percent-encoding.
const SPECIAL_MESSAGE = '\t\ntest with whitespace\r\nand Unicode BMP \u263A and non-BMP \u{1F608}\t\n';

// ---------------------------------------------------------------------------------------
// Plumbing

function deadline(seconds = CALL_SECONDS) {
  return new Date(Date.now() + seconds * 1000);
}

function statusName(code) {
  return grpc.status[code] ?? String(code);
}

// The failure half of every scenario's JSON.
function rpcFailure(err) {
  return { status: statusName(err.code), code: err.code, details: err.details };
}

function firstValue(metadata, key) {
  const values = metadata ? metadata.get(key) : [];
  return values.length > 0 ? values[0] : null;
}

// Loads one proto file (and its imports) and returns the client constructor of a service.
// Files are loaded per scenario so that a half-written proto elsewhere cannot break others.
function serviceClient(target, protoFile, serviceName, channelOptions = {}) {
  const loaded = grpc.loadPackageDefinition(protoLoader.loadSync(protoFile, LOADER_OPTIONS));
  const Client = serviceName.split('.').reduce((scope, part) => scope && scope[part], loaded);
  if (typeof Client !== 'function') {
    throw new Error(`service ${serviceName} not found in ${protoFile}`);
  }
  return new Client(target, grpc.credentials.createInsecure(), channelOptions);
}

function testServiceClient(target, channelOptions) {
  return serviceClient(target, 'grpc/testing/test.proto', 'grpc.testing.TestService', channelOptions);
}

// One unary call as a promise; never rejects. headers are the response headers as the
// application sees them in the call's 'metadata' event.
function unary(client, method, request) {
  return new Promise((resolve) => {
    let headers = null;
    const call = client[method](request, new grpc.Metadata(), { deadline: deadline() },
      (err, response) => resolve({ err, response, headers }));
    call.on('metadata', (metadata) => { headers = metadata; });
  });
}

// Collects a stream's messages until it is over. 'status' is emitted right after the
// readable side is closed, before queued 'data' events may have run, so wait for both.
function collectStream(call) {
  return new Promise((resolve) => {
    const messages = [];
    let status = null;
    let ended = false;
    const settle = () => { if (status && ended) resolve({ messages, status }); };
    call.on('data', (message) => messages.push(message));
    call.on('error', () => {}); // the same failure arrives as 'status'
    call.on('end', () => { ended = true; settle(); });
    call.on('status', (s) => { status = s; settle(); });
  });
}

function statusFields(status) {
  return status.code === grpc.status.OK
    ? { status: 'OK', code: 0 }
    : { status: statusName(status.code), code: status.code, details: status.details };
}

// ---------------------------------------------------------------------------------------
// special_status

async function specialStatus(target) {
  const client = testServiceClient(target);
  const { err } = await unary(client, 'UnaryCall', { responseStatus: { code: 2, message: SPECIAL_MESSAGE } });
  return err ? rpcFailure(err) : { status: 'OK', code: 0, details: null };
}

// ---------------------------------------------------------------------------------------
// gzip_response

// grpc-js's compression filter reads 'grpc-encoding' and then deletes it from the metadata
// before the call's 'metadata' event fires, so the application never sees that header.
// To tell whether the server really compressed, watch the filter itself: the header it
// received, and the compressed-flag byte of each response message frame. Also note what
// the client sent, to show that grpc-js compressed the request.
function tapCompressionFilter() {
  const grpcJsDir = path.dirname(require.resolve('@grpc/grpc-js')); // build/src
  const { CompressionFilter } = require(path.join(grpcJsDir, 'compression-filter.js'));
  const proto = CompressionFilter.prototype;
  const seen = { requestEncoding: null, responseEncoding: null, responseFramesCompressed: [] };
  const { sendMetadata, receiveMetadata, receiveMessage } = proto;

  proto.sendMetadata = async function tappedSendMetadata(metadata) {
    const headers = await sendMetadata.call(this, metadata);
    seen.requestEncoding = firstValue(headers, 'grpc-encoding');
    return headers;
  };
  proto.receiveMetadata = function tappedReceiveMetadata(metadata) {
    seen.responseEncoding = firstValue(metadata, 'grpc-encoding');
    return receiveMetadata.call(this, metadata);
  };
  proto.receiveMessage = async function tappedReceiveMessage(message) {
    const frame = await message;
    seen.responseFramesCompressed.push(frame.readUInt8(0) === 1);
    return receiveMessage.call(this, frame);
  };
  return seen;
}

async function gzipResponse(target) {
  const seen = tapCompressionFilter();
  // The channel option makes grpc-js gzip what it sends; it always advertises
  // grpc-accept-encoding: identity,deflate,gzip, which lets the server gzip its answer.
  const client = testServiceClient(target, { 'grpc.default_compression_algorithm': GZIP });
  const request = {
    responseSize: 314159,
    payload: { body: Buffer.alloc(271828) },
    responseCompressed: { value: true },
  };
  const { err, response, headers } = await unary(client, 'UnaryCall', request);
  const observed = {
    response_encoding: seen.responseEncoding,
    response_compressed: seen.responseFramesCompressed.length > 0 ? seen.responseFramesCompressed[0] : null,
    metadata_event_encoding: firstValue(headers, 'grpc-encoding'),
    request_encoding: seen.requestEncoding,
  };
  if (err) return { ...rpcFailure(err), payload_length: null, ...observed };
  return { status: 'OK', code: 0, payload_length: response.payload ? response.payload.body.length : 0, ...observed };
}

// ---------------------------------------------------------------------------------------
// health_watch

function healthWatch(target, service) {
  const client = serviceClient(target, 'grpc/health/v1/health.proto', 'grpc.health.v1.Health');
  return new Promise((resolve) => {
    const statuses = [];
    let done = false;
    // No deadline on the call: the 15 s limit is ours, and ends with a cancel.
    const call = client.Watch({ service });
    const timer = setTimeout(() => finish({ timed_out: true }), WATCH_MILLISECONDS);
    function finish(outcome) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      call.cancel();
      resolve({ statuses, ...outcome });
    }

    call.on('data', (response) => {
      statuses.push(response.status);
      // The C# test waits for this exact line on stderr before it flips the status.
      if (statuses.length === 1) process.stderr.write('{"watching":true}\n');
      if (new Set(statuses).size >= 2) finish({ timed_out: false });
    });
    call.on('error', () => {}); // reported through 'status'
    // Ends before we stopped it: the server closed the stream (cleanly or with an error).
    call.on('status', (status) => finish({ timed_out: false, ...statusFields(status) }));
  });
}

// ---------------------------------------------------------------------------------------
// rich_error, rich_error_bad_request

// google.rpc types from the google-proto-files package, as a Node portal would get them;
// google/protobuf/*.proto imports are served by protobufjs' bundled well-known types (it checks
// those before calling resolvePath).
const GOOGLE_PROTOS_ROOT = path.dirname(require.resolve('google-proto-files/package.json'));

function richStatusTypes() {
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) => (path.isAbsolute(target) ? target : path.join(GOOGLE_PROTOS_ROOT, target));
  root.loadSync(['google/rpc/status.proto', 'google/rpc/error_details.proto'], { keepCase: false });
  return root;
}

// An Any as {"type": full name, "value": decoded fields}; unknown types keep their bytes.
// protobufjs' bundled Any keeps the proto field name type_url (keepCase does not apply to it).
function unpackAny(root, any) {
  const typeUrl = any.type_url;
  const type = typeUrl.slice(typeUrl.lastIndexOf('/') + 1);
  let messageType = null;
  try {
    messageType = root.lookupType(type);
  } catch (e) {
    return { type, type_url: typeUrl, value: null, value_base64: Buffer.from(any.value).toString('base64') };
  }
  return { type, value: messageType.toObject(messageType.decode(any.value), TO_OBJECT) };
}

function decodeStatusDetails(buffer) {
  const root = richStatusTypes();
  const status = root.lookupType('google.rpc.Status').decode(buffer);
  return {
    status_code: status.code,
    status_message: status.message,
    details: status.details.map((any) => unpackAny(root, any)),
  };
}

async function richError(target, method, request) {
  const client = serviceClient(target, 'dvc/catalog/v1/catalog.proto', 'dvc.catalog.v1.CatalogService');
  const { err } = await unary(client, method, request);
  if (!err) return { status: 'OK', code: 0, message: null, has_status_details: false, details: [] };

  const result = { status: statusName(err.code), code: err.code, message: err.details };
  const raw = firstValue(err.metadata, 'grpc-status-details-bin');
  result.has_status_details = Buffer.isBuffer(raw);
  if (!result.has_status_details) return { ...result, details: [] };
  try {
    return { ...result, ...decodeStatusDetails(raw) };
  } catch (e) {
    // A trailer that does not decode is the server's fault: report it, don't crash.
    return { ...result, details: [], details_error: String(e && e.message) };
  }
}

// ---------------------------------------------------------------------------------------
// reflection_list, reflection_v1alpha_list, reflection_file_containing

function reflectionClient(target, version) {
  return serviceClient(target, `grpc/reflection/${version}/reflection.proto`,
    `grpc.reflection.${version}.ServerReflection`);
}

// Sends one request on the bidi stream, half-closes, and returns the first response.
async function reflect(target, version, request) {
  const call = reflectionClient(target, version).ServerReflectionInfo({ deadline: deadline() });
  const collected = collectStream(call);
  call.write(request);
  call.end();
  const { messages, status } = await collected;
  return { response: messages.length > 0 ? messages[0] : null, status };
}

// Fields shared by every reflection answer: the rpc status, and an error_response if any.
function reflectionOutcome(response, status) {
  const outcome = statusFields(status);
  if (response && response.messageResponse === 'errorResponse') {
    outcome.error_code = response.errorResponse.errorCode;
    outcome.error_message = response.errorResponse.errorMessage;
  }
  return outcome;
}

async function reflectionList(target, version) {
  const { response, status } = await reflect(target, version, { listServices: '' });
  const services = response && response.listServicesResponse
    ? response.listServicesResponse.service.map((s) => s.name)
    : [];
  return { ...reflectionOutcome(response, status), services };
}

async function reflectionFileContaining(target, symbol) {
  const { response, status } = await reflect(target, 'v1', { fileContainingSymbol: symbol });
  const encoded = response && response.fileDescriptorResponse
    ? response.fileDescriptorResponse.fileDescriptorProto
    : [];
  const files = encoded.map((bytes) => descriptor.FileDescriptorProto.decode(bytes));
  const first = files[0];
  return {
    ...reflectionOutcome(response, status),
    files: files.map((f) => f.name),
    package_of_first: first ? first.package : null,
    messages_in_first: first ? first.messageType.map((m) => m.name) : [],
    services_in_first: first ? first.service.map((s) => s.name) : [],
  };
}

// ---------------------------------------------------------------------------------------
// unary_raw

// A generic client: no proto at all, the empty request and the response are raw bytes.
function unaryRaw(target, method) {
  const client = new grpc.Client(target, grpc.credentials.createInsecure());
  const fullMethod = method.startsWith('/') ? method : `/${method}`;
  const identity = (bytes) => bytes;
  return new Promise((resolve) => {
    client.makeUnaryRequest(fullMethod, identity, identity, Buffer.alloc(0), new grpc.Metadata(),
      { deadline: deadline() }, (err, response) => resolve(err
        ? { ...rpcFailure(err), response_length: null }
        : { status: 'OK', code: 0, response_length: response.length }));
  });
}

// ---------------------------------------------------------------------------------------
// Entry point

const SCENARIOS = {
  special_status: { args: [], run: specialStatus },
  gzip_response: { args: [], run: gzipResponse },
  health_watch: { args: ['SERVICE'], run: healthWatch },
  rich_error: {
    args: [],
    run: (target) => richError(target, 'GetProcedure', { code: 'NO-SUCH' }),
  },
  rich_error_bad_request: {
    args: [],
    run: (target) => richError(target, 'ListProcedures', { page: { pageSize: -1 } }),
  },
  reflection_list: { args: [], run: (target) => reflectionList(target, 'v1') },
  reflection_v1alpha_list: { args: [], run: (target) => reflectionList(target, 'v1alpha') },
  reflection_file_containing: { args: ['SYMBOL'], run: reflectionFileContaining },
  unary_raw: { args: ['METHOD'], run: unaryRaw },
};

function usage() {
  const lines = Object.entries(SCENARIOS).map(([name, s]) => `  ${[name, ...s.args].join(' ')}`);
  process.stderr.write(`usage: node peer.js HOST:PORT SCENARIO [ARGS...]\nscenarios:\n${lines.join('\n')}\n`);
  process.exit(64);
}

// Exit only once the JSON line is flushed, and without waiting for channels to wind down.
function emit(result) {
  process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
}

async function main([target, name, ...args]) {
  const scenario = Object.prototype.hasOwnProperty.call(SCENARIOS, name) ? SCENARIOS[name] : null;
  if (!target || !scenario || args.length < scenario.args.length) usage();
  emit(await scenario.run(target, ...args));
}

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`peer.js harness error: ${err && err.stack ? err.stack : err}\n`);
  process.exit(70);
});
