/**
 * RowBlocks of a sales-like table for the Parquet benchmark: what the engine will hand a columnar format, built the
 * way the engine builds things (a counter-based hash per cell, typed arrays allocated once and refilled for every
 * block, no string per cell), so that encoding is measured on realistic shapes and sizes:
 *
 *   order_id   uuid text (36 bytes)             customer   "First Last" from faker's English names
 *   email      first.last<n>@<free provider>    product    dictionary of faker's 9,720 product names
 *   quantity   bigint 1-20                      unit_price decimal(5,2), 1.00 to 500.00
 *   order_date timestamp in 2024                region     dictionary of the 50 US states
 *   coupon     optional text, null in 3 rows of 4
 *
 * The values are this script's own, not the engine's (the engine's columnar output is being built elsewhere); their
 * sizes and cardinalities are the same as examples/sales.schema.json's.
 */
/* eslint-disable no-bitwise -- a counter-based hash and hex digits, made of bit operations as the engine's are */
import { en } from '@faker-js/faker';
import type { ColumnBlock, RowBlock } from '../../lambda/formats/column-block';
import type { ParquetColumn } from '../../lambda/formats/parquet';

/** The table's columns; product and region come as dictionary columns (indexes into their lists). */
export const SALES_COLUMNS: readonly ParquetColumn[] = [
  { name: 'order_id', type: { kind: 'string' }, optional: false },
  { name: 'customer', type: { kind: 'string' }, optional: false },
  { name: 'email', type: { kind: 'string' }, optional: false },
  { name: 'product', type: { kind: 'string' }, optional: false },
  { name: 'quantity', type: { kind: 'bigint' }, optional: false },
  { name: 'unit_price', type: { kind: 'decimal', precision: 5, scale: 2 }, optional: false },
  { name: 'order_date', type: { kind: 'timestamp' }, optional: false },
  { name: 'region', type: { kind: 'string' }, optional: false },
  { name: 'coupon', type: { kind: 'string' }, optional: true },
];

const TEXT = new TextEncoder();
const HEX = TEXT.encode('0123456789abcdef');
const YEAR_2024 = Date.parse('2024-01-01T00:00:00Z');
const MS_IN_2024 = Date.parse('2025-01-01T00:00:00Z') - YEAR_2024;

/** Texts as one UTF-8 byte array and offsets: the form of text Values. */
class TextList {
  readonly bytes: Uint8Array;
  readonly offsets: Uint32Array;
  readonly maxLength: number;

  constructor(texts: readonly string[]) {
    const encoded = texts.map((text) => TEXT.encode(text));
    this.offsets = new Uint32Array(encoded.length + 1);
    encoded.forEach((bytes, i) => (this.offsets[i + 1] = this.offsets[i] + bytes.length));
    this.bytes = new Uint8Array(this.offsets[encoded.length]);
    encoded.forEach((bytes, i) => this.bytes.set(bytes, this.offsets[i]));
    this.maxLength = Math.max(...encoded.map((bytes) => bytes.length));
  }

  get length(): number {
    return this.offsets.length - 1;
  }

  /** Copies text `index` into `target` at `pos`; returns the position after it. */
  copy(index: number, target: Uint8Array, pos: number): number {
    const bytes = this.bytes;
    for (let k = this.offsets[index], end = this.offsets[index + 1]; k < end; k++) target[pos++] = bytes[k];
    return pos;
  }
}

/** murmur3's finalizer: a 32-bit hash of a 32-bit number. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A uniform whole number in [0, n) from a 32-bit hash. */
function below(hash: number, n: number): number {
  return Math.floor((hash / 4294967296) * n);
}

/** A text column's arrays, sized once for the largest block. */
class TextColumn {
  readonly bytes: Uint8Array;
  readonly offsets: Uint32Array;
  constructor(rows: number, maxLength: number) {
    this.bytes = new Uint8Array(rows * maxLength);
    this.offsets = new Uint32Array(rows + 1);
  }
}

/** A list of faker's English data, which the table cannot do without. */
function fakerList(values: unknown, what: string): readonly string[] {
  if (!Array.isArray(values) || values.length === 0) throw new Error(`the installed @faker-js/faker has no English ${what}: the benchmark's table is made of them`);
  return values as string[];
}

const FIRST_NAMES = fakerList((en.person?.first_name as { generic?: unknown } | undefined)?.generic, 'first names');
const LAST_NAMES = fakerList((en.person?.last_name as { generic?: unknown } | undefined)?.generic, 'last names');
const PRODUCT_NAME = en.commerce?.product_name as Record<'adjective' | 'material' | 'product', unknown> | undefined;
const PRODUCTS = fakerList(PRODUCT_NAME?.adjective, 'product adjectives').flatMap((adjective) => fakerList(PRODUCT_NAME?.material, 'product materials')
  .flatMap((material) => fakerList(PRODUCT_NAME?.product, 'products').map((product) => `${adjective} ${material} ${product}`)));
const emailPart = (name: string) => name.toLowerCase().replace(/[^a-z]/g, '');

export class SalesBlocks {
  private readonly first = new TextList(FIRST_NAMES);
  private readonly last = new TextList(LAST_NAMES);
  private readonly lowerFirst = new TextList(FIRST_NAMES.map(emailPart));
  private readonly lowerLast = new TextList(LAST_NAMES.map(emailPart));
  private readonly providers = new TextList(fakerList(en.internet?.free_email, 'e-mail providers'));
  private readonly products = new TextList(PRODUCTS);
  private readonly states = new TextList(fakerList(en.location?.state, 'states'));

  private readonly orderId: TextColumn;
  private readonly customer: TextColumn;
  private readonly email: TextColumn;
  private readonly coupon: TextColumn;
  private readonly couponDefined: Uint8Array;
  private readonly product: Uint32Array;
  private readonly region: Uint32Array;
  private readonly quantity: Float64Array;
  private readonly unitPrice: Float64Array;
  private readonly orderDate: Float64Array;

  constructor(readonly maxRows: number) {
    this.orderId = new TextColumn(maxRows, 36);
    this.customer = new TextColumn(maxRows, this.first.maxLength + 1 + this.last.maxLength);
    this.email = new TextColumn(maxRows, this.lowerFirst.maxLength + 1 + this.lowerLast.maxLength + 3 + 1 + this.providers.maxLength);
    this.coupon = new TextColumn(maxRows, 12);
    this.couponDefined = new Uint8Array(maxRows);
    this.product = new Uint32Array(maxRows);
    this.region = new Uint32Array(maxRows);
    this.quantity = new Float64Array(maxRows);
    this.unitPrice = new Float64Array(maxRows);
    this.orderDate = new Float64Array(maxRows);
  }

  /** Rows [firstRow, firstRow + rows) (rows ≤ maxRows), in the arrays of every block: the last block is overwritten. */
  block(firstRow: number, rows: number): RowBlock {
    if (rows > this.maxRows) throw new Error(`a block of ${rows} rows does not fit arrays made for ${this.maxRows}`);
    const { orderId, customer, email, coupon } = this;
    let idPos = 0;
    let namePos = 0;
    let emailPos = 0;
    let couponPos = 0;
    let coupons = 0;
    for (let i = 0; i < rows; i++) {
      const row = firstRow + i;
      const h0 = mix(row ^ 0x5bd1e995);
      const h1 = mix(h0 ^ 0x27d4eb2f);
      const h2 = mix(h1 ^ 0x165667b1);
      const h3 = mix(h2 ^ 0x9e3779b9);
      // order_id: 32 hex digits of four hashes, dashed as a version 4 uuid.
      orderId.offsets[i] = idPos;
      idPos = writeUuid(orderId.bytes, idPos, h0, h1, h2, h3);
      // customer and email from the same first and last name.
      const firstName = below(mix(h3 ^ 1), this.first.length);
      const lastName = below(mix(h3 ^ 2), this.last.length);
      customer.offsets[i] = namePos;
      namePos = this.first.copy(firstName, customer.bytes, namePos);
      customer.bytes[namePos++] = 32;
      namePos = this.last.copy(lastName, customer.bytes, namePos);
      email.offsets[i] = emailPos;
      emailPos = this.lowerFirst.copy(firstName, email.bytes, emailPos);
      email.bytes[emailPos++] = 46; // '.'
      emailPos = this.lowerLast.copy(lastName, email.bytes, emailPos);
      const number = below(h2, 100);
      email.bytes[emailPos++] = 48 + Math.floor(number / 10);
      email.bytes[emailPos++] = 48 + (number % 10);
      email.bytes[emailPos++] = 64; // '@'
      emailPos = this.providers.copy(below(h1, this.providers.length), email.bytes, emailPos);
      this.product[i] = below(mix(h0 ^ 3), this.products.length);
      this.quantity[i] = 1 + below(mix(h1 ^ 4), 20);
      this.unitPrice[i] = 100 + below(mix(h2 ^ 5), 49_901);
      this.orderDate[i] = YEAR_2024 + below(mix(h3 ^ 6), MS_IN_2024);
      this.region[i] = below(mix(h0 ^ 7), this.states.length);
      const hasCoupon = (h1 & 3) === 0;
      this.couponDefined[i] = hasCoupon ? 1 : 0;
      if (hasCoupon) {
        coupon.offsets[coupons++] = couponPos;
        couponPos = writeCoupon(coupon.bytes, couponPos, h2);
      }
    }
    orderId.offsets[rows] = idPos;
    customer.offsets[rows] = namePos;
    email.offsets[rows] = emailPos;
    coupon.offsets[coupons] = couponPos;
    const text = (column: TextColumn): ColumnBlock => ({ count: rows, values: { kind: 'text', bytes: column.bytes, offsets: column.offsets } });
    const numbers = (values: Float64Array): ColumnBlock => ({ count: rows, values: { kind: 'numbers', values } });
    return {
      firstRow,
      rows,
      columns: [
        text(orderId),
        text(customer),
        text(email),
        { count: rows, indexes: this.product, dictionary: { kind: 'text', bytes: this.products.bytes, offsets: this.products.offsets } },
        numbers(this.quantity),
        numbers(this.unitPrice),
        numbers(this.orderDate),
        { count: rows, indexes: this.region, dictionary: { kind: 'text', bytes: this.states.bytes, offsets: this.states.offsets } },
        { count: coupons, values: { kind: 'text', bytes: coupon.bytes, offsets: coupon.offsets }, defined: this.couponDefined },
      ],
    };
  }
}

function writeHex(bytes: Uint8Array, pos: number, value: number, digits: number): number {
  for (let shift = (digits - 1) * 4; shift >= 0; shift -= 4) bytes[pos++] = HEX[(value >>> shift) & 15];
  return pos;
}

function writeUuid(bytes: Uint8Array, pos: number, a: number, b: number, c: number, d: number): number {
  pos = writeHex(bytes, pos, a, 8);
  bytes[pos++] = 45;
  pos = writeHex(bytes, pos, b >>> 16, 4);
  bytes[pos++] = 45;
  pos = writeHex(bytes, pos, 0x4000 | (b & 0x0fff), 4);
  bytes[pos++] = 45;
  pos = writeHex(bytes, pos, 0x8000 | ((c >>> 16) & 0x3fff), 4);
  bytes[pos++] = 45;
  pos = writeHex(bytes, pos, c & 0xffff, 4);
  return writeHex(bytes, pos, d, 8);
}

/** "SAVE10-1234"-like coupon codes: one of four campaigns and four digits. */
const CAMPAIGNS = ['SAVE10', 'SPRING', 'VIP20', 'WELCOME'].map((name) => TEXT.encode(`${name}-`));

function writeCoupon(bytes: Uint8Array, pos: number, hash: number): number {
  const campaign = CAMPAIGNS[hash & 3];
  bytes.set(campaign, pos);
  pos += campaign.length;
  let code = below(hash, 10_000);
  for (let divisor = 1000; divisor >= 1; divisor /= 10) {
    bytes[pos++] = 48 + Math.floor(code / divisor);
    code %= divisor;
  }
  return pos;
}
