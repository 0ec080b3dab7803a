'use strict';
/**
 * The local cloud's stand-in for the Lambda Node.js runtime: one cold-start invocation per process.
 * Plain JavaScript with no dependencies: it runs on the downloaded Node.js of the function's runtime,
 * without ts-node, inside the sandbox (where it is /var/runtime/bootstrap.js).
 *
 * Protocol with the host (local-cloud/lambda-sandbox.ts), over fd 3 (a socket pair), one JSON per line:
 *   host → runtime: {"event", "requestId", "invokedFunctionArn", "timeoutMs"}
 *   runtime → host: {"type":"invoke-start","initDurationMs"}, then
 *                   {"type":"result","result",...} | {"type":"error","error",...} | {"type":"init-error","error",...}
 * stdout and stderr are the function's log, formatted as the Lambda runtime formats `console` output
 * (text: `<time>\t<requestId>\t<LEVEL>\t<message>`, newlines in a message as \r; or JSON records when
 * AWS_LAMBDA_LOG_FORMAT=JSON), framed by the platform's START / END / REPORT lines.
 */
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const util = require('node:util');
const { performance } = require('node:perf_hooks');
const { pathToFileURL } = require('node:url');

const taskRoot = process.env.LAMBDA_TASK_ROOT || process.cwd();
const handlerSpec = process.env._HANDLER || 'index.handler';
const jsonFormat = process.env.AWS_LAMBDA_LOG_FORMAT === 'JSON';
const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
const minLevel = Math.max(0, LEVELS.indexOf((process.env.AWS_LAMBDA_LOG_LEVEL || 'TRACE').toUpperCase()));

const control = new net.Socket({ fd: 3, readable: true, writable: true });
let currentRequestId = undefined;

/** Synchronous (the process may exit right after), and patient with a non-blocking descriptor. */
function writeAll(fd, text) {
  const data = Buffer.from(text);
  let offset = 0;
  while (offset < data.length) {
    try {
      offset += fs.writeSync(fd, data, offset);
    } catch (error) {
      if (error.code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}

function send(message) {
  writeAll(3, JSON.stringify(message) + '\n');
}

function writeLog(line) {
  writeAll(1, line.replace(/\n/g, '\r') + '\n');
}

function platformLine(text, record) {
  if (jsonFormat) writeLog(JSON.stringify({ time: new Date().toISOString(), ...record }));
  else writeLog(text);
}

// console as the Lambda runtime patches it
for (const [method, level] of [['trace', 'TRACE'], ['debug', 'DEBUG'], ['info', 'INFO'], ['log', 'INFO'], ['warn', 'WARN'], ['error', 'ERROR']]) {
  console[method] = (...args) => {
    if (LEVELS.indexOf(level) < minLevel) return;
    const message = util.format(...args);
    if (jsonFormat) {
      writeLog(JSON.stringify({ timestamp: new Date().toISOString(), level, requestId: currentRequestId, message }));
    } else {
      writeLog(`${new Date().toISOString()}\t${currentRequestId || 'undefined'}\t${level}\t${message}`);
    }
  };
}
console.fatal = (...args) => console.error(...args);

function errorRecord(error) {
  if (error instanceof Error) {
    return {
      errorType: error.name || 'Error',
      errorMessage: error.message,
      trace: typeof error.stack === 'string' ? error.stack.split('\n') : [],
    };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

function resolveModule(modulePath) {
  const base = path.resolve(taskRoot, modulePath);
  for (const ext of ['.js', '.mjs', '.cjs']) {
    if (fs.existsSync(base + ext)) return base + ext;
  }
  const error = new Error(`Cannot find module '${modulePath}'`);
  error.name = 'Runtime.ImportModuleError';
  throw error;
}

async function loadHandler() {
  const dot = handlerSpec.lastIndexOf('.');
  if (dot <= 0) {
    const error = new Error(`Bad handler ${handlerSpec}`);
    error.name = 'Runtime.MalformedHandlerName';
    throw error;
  }
  const file = resolveModule(handlerSpec.slice(0, dot));
  const name = handlerSpec.slice(dot + 1);
  let mod;
  if (file.endsWith('.mjs')) {
    mod = await import(pathToFileURL(file).href);
  } else {
    try {
      mod = require(file);
    } catch (error) {
      if (error && error.code === 'ERR_REQUIRE_ESM') mod = await import(pathToFileURL(file).href);
      else throw error;
    }
  }
  const fn = mod[name] ?? mod.default?.[name];
  if (typeof fn !== 'function') {
    const error = new Error(`${handlerSpec} is undefined or not exported`);
    error.name = 'Runtime.HandlerNotFound';
    throw error;
  }
  return fn;
}

function readInvocation() {
  return new Promise((resolve, reject) => {
    let buffer = '';
    control.setEncoding('utf8');
    control.on('data', (chunk) => {
      buffer += chunk;
      const newline = buffer.indexOf('\n');
      if (newline >= 0) {
        control.pause();
        resolve(JSON.parse(buffer.slice(0, newline)));
      }
    });
    control.on('error', reject);
    control.on('end', () => reject(new Error('no invocation received')));
  });
}

function finish(message, start, initDurationMs) {
  const durationMs = performance.now() - start;
  const maxMemoryUsedMb = Math.ceil(process.resourceUsage().maxRSS / 1024);
  const memorySize = process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE;
  platformLine(`END RequestId: ${currentRequestId}`, { type: 'platform.runtimeDone', record: { requestId: currentRequestId, status: message.type === 'result' ? 'success' : 'error' } });
  platformLine(
    `REPORT RequestId: ${currentRequestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${Math.ceil(durationMs)} ms\t`
    + `Memory Size: ${memorySize} MB\tMax Memory Used: ${maxMemoryUsedMb} MB\tInit Duration: ${initDurationMs.toFixed(2)} ms\t`,
    { type: 'platform.report', record: { requestId: currentRequestId, metrics: { durationMs: Number(durationMs.toFixed(3)), billedDurationMs: Math.ceil(durationMs), memorySizeMB: Number(memorySize), maxMemoryUsedMB: maxMemoryUsedMb, initDurationMs: Number(initDurationMs.toFixed(3)) } } },
  );
  send({ ...message, durationMs, maxMemoryUsedMb, initDurationMs });
  process.exit(0);
}

async function main() {
  const invocation = await readInvocation();
  let handler;
  try {
    handler = await loadHandler();
  } catch (error) {
    const record = errorRecord(error);
    writeLog(`${new Date().toISOString()}\tundefined\tERROR\tUncaught Exception \t${JSON.stringify(record)}`);
    platformLine(`INIT_REPORT Init Duration: ${performance.now().toFixed(2)} ms\tPhase: init\tStatus: error\tError Type: ${record.errorType}`, { type: 'platform.initReport', record: { status: 'error', errorType: record.errorType } });
    send({ type: 'init-error', error: record });
    process.exit(1);
  }
  const initDurationMs = performance.now();

  currentRequestId = invocation.requestId;
  const deadline = Date.now() + invocation.timeoutMs;
  const context = {
    awsRequestId: invocation.requestId,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: invocation.invokedFunctionArn,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };

  send({ type: 'invoke-start', initDurationMs });
  platformLine(`START RequestId: ${invocation.requestId} Version: ${process.env.AWS_LAMBDA_FUNCTION_VERSION}`, { type: 'platform.start', record: { requestId: invocation.requestId, version: process.env.AWS_LAMBDA_FUNCTION_VERSION } });
  const start = performance.now();

  const fail = (error, label) => {
    const record = errorRecord(error);
    writeLog(`${new Date().toISOString()}\t${currentRequestId}\tERROR\t${label} \t${JSON.stringify({ errorType: record.errorType, errorMessage: record.errorMessage, stack: record.trace })}`);
    finish({ type: 'error', error: record }, start, initDurationMs);
  };
  process.on('uncaughtException', (error) => fail(error, 'Uncaught Exception'));
  process.on('unhandledRejection', (reason) => fail(reason, 'Unhandled Promise Rejection'));

  try {
    if (handler.length >= 3) {
      const error = new Error('Callback-based function handlers are not supported by this runtime: use an async handler');
      error.name = 'Runtime.CallbackHandlerDeprecated';
      throw error;
    }
    const result = await handler(invocation.event, context);
    let serialized;
    try {
      serialized = result === undefined ? null : JSON.parse(JSON.stringify(result));
    } catch (error) {
      error.name = 'Runtime.MarshalError';
      throw error;
    }
    finish({ type: 'result', result: serialized }, start, initDurationMs);
  } catch (error) {
    fail(error, 'Invoke Error');
  }
}

main().catch((error) => {
  send({ type: 'init-error', error: errorRecord(error) });
  process.exit(1);
});
