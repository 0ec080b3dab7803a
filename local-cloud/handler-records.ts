/**
 * The handler's own structured log records, told apart from the platform's lines: one reader for the
 * demo's proof, the benchmark and the tests.
 */
import { LOG_SERVICE_NAME } from '../src/contract/environment';

export type HandlerRecord = Record<string, unknown> & { step?: unknown; function_request_id?: unknown; message?: unknown };

/**
 * The handler's own structured record in a log event, if it is one: a JSON line with the handler's
 * service name, as written by its logger, or inside the runtime's framing of a console line. The handler's metrics
 * record (Embedded Metric Format, with its `_aws` key) is not a log record: read it with `emfRecordOf`.
 */
export function handlerRecordOf(message: string): HandlerRecord | undefined {
  const candidates = [message, message.split('\t').slice(3).join('\t')];
  for (const text of candidates) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      continue;
    }
    if (typeof parsed !== 'object' || parsed === null) continue;
    const record = parsed as HandlerRecord;
    if (record.service === LOG_SERVICE_NAME) return '_aws' in record ? undefined : record;
    if (typeof record.message === 'string' && record.message !== text) {
      const inner = handlerRecordOf(record.message); // a console line in the JSON log format
      if (inner) return inner;
    }
  }
  return undefined;
}

/** The handler's metrics record (Embedded Metric Format) in a log event, if it is one. */
export function emfRecordOf(message: string): Record<string, any> | undefined {
  if (!message.startsWith('{"_aws"')) return undefined;
  try {
    const record = JSON.parse(message) as Record<string, any>;
    return record.service === LOG_SERVICE_NAME ? record : undefined;
  } catch {
    return undefined;
  }
}
