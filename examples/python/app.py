"""The example sales app (examples/sales-app.ts) in Python, using the jsii-built Python package.

A mirror of addSalesStack() in examples/sales-app.ts, without sharding: keep the stack, the columns and the props
in step with it. test/languages/python-app.check.ts builds the package, installs it with requirements.txt into a
fresh virtual environment, runs this app and compares its template with the TypeScript example's.

By hand, from this folder, after `npx projen compile && npx projen package:python` at the project root:

    python3 -m venv .venv
    .venv/bin/pip install --require-hashes -r requirements.txt
    .venv/bin/pip install --no-deps ../../dist/python/cdk_synthetic_data-*.whl
    CDK_OUTDIR=cdk.out .venv/bin/python app.py      # or: npx cdk synth --app '.venv/bin/python app.py'
"""
import aws_cdk as cdk
from cdk_synthetic_data import Column, Schema, SyntheticDataGenerator

SALES_STACK_NAME = "SyntheticSalesData"


def sales_schema() -> Schema:
    """The sales table built with the typed schema API (examples/sales.schema.json is the same, as JSON)."""
    return Schema.from_columns([
        Column.uuid("order_id"),
        Column.faker("customer", "person.fullName"),
        Column.faker("email", "internet.email"),
        Column.faker("product", "commerce.productName"),
        Column.integer("quantity", min=1, max=20),
        Column.decimal("unit_price", min=1, max=500, fraction_digits=2),
        # `from` is a Python keyword: jsii names the option `from_`
        Column.timestamp("order_date", from_="2024-01-01T00:00:00Z", to="2024-12-31T23:59:59Z"),
        Column.faker("region", "location.state"),
    ])


def add_sales_stack(app: cdk.App) -> cdk.Stack:
    """Builds the example app's stack in `app`."""
    stack = cdk.Stack(app, SALES_STACK_NAME, env=cdk.Environment(account="123456789012", region="us-east-1"))
    SyntheticDataGenerator(stack, "SalesData",
        schema=sales_schema(),
        dataset_name="sales",
        rows=10_000,
    )
    return stack


if __name__ == "__main__":
    app = cdk.App()  # writes to CDK_OUTDIR (set by `cdk synth`), else to a temporary directory
    add_sales_stack(app)
    app.synth()
