// A Jest reporter: prints the trust figures recorded with test/support/trust-report.ts, one line per
// family, after all tests have run. Plain CommonJS because Jest loads reporters without transforming them.
const fs = require('node:fs');
const path = require('node:path');

const TRUST_REPORT_DIR = path.join(__dirname, '..', '..', 'test-reports', 'trust');
const FIELDS = ['injected', 'survived', 'tried', 'rejectedCleanly', 'accepted', 'lost', 'duplicated'];

class TrustSummaryReporter {
  onRunStart() {
    // Figures from an earlier run must not be counted again.
    fs.rmSync(TRUST_REPORT_DIR, { recursive: true, force: true });
  }

  onRunComplete() {
    const totals = new Map();
    let files = [];
    try {
      files = fs.readdirSync(TRUST_REPORT_DIR).filter((name) => name.endsWith('.jsonl'));
    } catch {
      return;
    }
    for (const file of files) {
      for (const line of fs.readFileSync(path.join(TRUST_REPORT_DIR, file), 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        const record = JSON.parse(line);
        const sum = totals.get(record.family) ?? Object.fromEntries(FIELDS.map((field) => [field, 0]));
        for (const field of FIELDS) sum[field] += record[field] ?? 0;
        totals.set(record.family, sum);
      }
    }
    if (totals.size === 0) return;
    const lines = ['', 'Trust summary (one line per family):'];
    for (const family of [...totals.keys()].sort()) lines.push(`  ${family}: ${describe(totals.get(family))}`);
    process.stdout.write(lines.join('\n') + '\n');
  }
}

function describe(sum) {
  const parts = [];
  if (sum.injected > 0 || sum.survived > 0) parts.push(`faults injected ${sum.injected}, survived ${sum.survived}`);
  if (sum.tried > 0) parts.push(`inputs tried ${sum.tried}, rejected cleanly ${sum.rejectedCleanly}, accepted ${sum.accepted}`);
  parts.push(`objects lost ${sum.lost}, duplicated ${sum.duplicated}`);
  return parts.join('; ');
}

module.exports = TrustSummaryReporter;
