/**
 * The part of Thrift's compact protocol that Parquet's page headers and footer use (apache/thrift,
 * doc/specs/thrift-compact-protocol.md): structs of i32, i64, bool, binary, struct and list fields.
 *
 * Every field is written with the type its struct declares (an i64 stays an i64 even when its value is small), so
 * a reader built from parquet.thrift never skips a field for a type it did not expect. Writes go straight into a
 * reused ByteBuffer: no objects per field.
 */
import type { ByteBuffer } from './byte-buffer';

/** Compact protocol type ids. */
export const ThriftType = { BOOL_TRUE: 1, BOOL_FALSE: 2, I32: 5, I64: 6, BINARY: 8, LIST: 9, STRUCT: 12 } as const;
type ThriftType = (typeof ThriftType)[keyof typeof ThriftType];

const STOP = 0;
const TEXT = new TextEncoder();

export class ThriftWriter {
  /** The last field id written in each open struct, innermost last: field headers hold the difference. */
  private readonly lastFieldIds: number[] = [0];

  constructor(readonly out: ByteBuffer) {}

  /** Starts a struct that is a list element or the outermost value (a field's struct starts with structField). */
  beginStruct(): void {
    this.lastFieldIds.push(0);
  }

  endStruct(): void {
    this.out.byte(STOP);
    this.lastFieldIds.pop();
  }

  structField(id: number): void {
    this.fieldHeader(id, ThriftType.STRUCT);
    this.beginStruct();
  }

  i32Field(id: number, value: number): void {
    this.fieldHeader(id, ThriftType.I32);
    this.i32(value);
  }

  /** An i64 field from a whole number in (-2^53, 2^53): offsets, sizes and counts. */
  i64Field(id: number, value: number): void {
    this.fieldHeader(id, ThriftType.I64);
    this.i64(value);
  }

  boolField(id: number, value: boolean): void {
    this.fieldHeader(id, value ? ThriftType.BOOL_TRUE : ThriftType.BOOL_FALSE);
  }

  binaryField(id: number, value: Uint8Array): void {
    this.fieldHeader(id, ThriftType.BINARY);
    this.binary(value);
  }

  stringField(id: number, value: string): void {
    this.binaryField(id, TEXT.encode(value));
  }

  /** A list field's header; its `size` elements follow, written with the element methods below. */
  listField(id: number, elementType: ThriftType, size: number): void {
    this.fieldHeader(id, ThriftType.LIST);
    if (size < 15) {
      this.out.byte((size << 4) | elementType);
    } else {
      this.out.byte(0xf0 | elementType);
      this.out.varint(size);
    }
  }

  i32(value: number): void {
    // zigzag: 0, -1, 1, -2, ... → 0, 1, 2, 3, ...
    this.out.varint(((value << 1) ^ (value >> 31)) >>> 0);
  }

  i64(value: number): void {
    if (!Number.isSafeInteger(value)) throw new Error(`a Thrift i64 of the Parquet metadata is ${value}: only safe integers are written (an encoder bug)`);
    this.out.varint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  binary(value: Uint8Array): void {
    this.out.varint(value.length);
    this.out.append(value);
  }

  string(value: string): void {
    this.binary(TEXT.encode(value));
  }

  private fieldHeader(id: number, type: ThriftType): void {
    const depth = this.lastFieldIds.length - 1;
    const delta = id - this.lastFieldIds[depth];
    if (delta <= 0) throw new Error(`Thrift field ${id} written after field ${this.lastFieldIds[depth]}: fields must ascend (an encoder bug)`);
    if (delta <= 15) {
      this.out.byte((delta << 4) | type);
    } else {
      this.out.byte(type);
      this.i32(id);
    }
    this.lastFieldIds[depth] = id;
  }
}
