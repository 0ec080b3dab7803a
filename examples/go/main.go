// The example sales app (examples/sales-app.ts) in Go, using the jsii-generated Go module of cdk-synthetic-data
// with aws-cdk-go and constructs-go from the Go module proxy, at the versions the TypeScript example is built with
// (package.json). A mirror of addSalesStack() in examples/sales-app.ts, without sharding: keep the stack, the
// columns and the props in step with it. test/languages/go-app.check.ts generates the module, builds this app with
// go.mod and go.sum as they are, runs it and compares its template with the TypeScript example's.
package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
	sd "github.com/cdk-synthetic-data/cdk-synthetic-data-go/cdksyntheticdata"
)

const salesStackName = "SyntheticSalesData"

// salesSchema is the sales table built with the typed schema API (examples/sales.schema.json is the same, as JSON).
func salesSchema() sd.Schema {
	return sd.Schema_FromColumns(&[]sd.Column{
		sd.Column_Uuid(jsii.String("order_id"), nil),
		sd.Column_Faker(jsii.String("customer"), jsii.String("person.fullName"), nil),
		sd.Column_Faker(jsii.String("email"), jsii.String("internet.email"), nil),
		sd.Column_Faker(jsii.String("product"), jsii.String("commerce.productName"), nil),
		sd.Column_Integer(jsii.String("quantity"), &sd.IntegerColumnOptions{Min: jsii.Number(1), Max: jsii.Number(20)}),
		sd.Column_Decimal(jsii.String("unit_price"), &sd.DecimalColumnOptions{Min: jsii.Number(1), Max: jsii.Number(500), FractionDigits: jsii.Number(2)}),
		sd.Column_Timestamp(jsii.String("order_date"), &sd.TimestampColumnOptions{From: jsii.String("2024-01-01T00:00:00Z"), To: jsii.String("2024-12-31T23:59:59Z")}),
		sd.Column_Faker(jsii.String("region"), jsii.String("location.state"), nil),
	})
}

// addSalesStack builds the example app's stack in app.
func addSalesStack(app awscdk.App) awscdk.Stack {
	stack := awscdk.NewStack(app, jsii.String(salesStackName), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("123456789012"), Region: jsii.String("us-east-1")},
	})
	sd.NewSyntheticDataGenerator(stack, jsii.String("SalesData"), &sd.SyntheticDataGeneratorProps{
		Schema:      salesSchema(),
		DatasetName: jsii.String("sales"),
		Rows:        jsii.Number(10_000),
	})
	return stack
}

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil) // writes to CDK_OUTDIR (set by `cdk synth`), else to a temporary directory
	addSalesStack(app)
	app.Synth(nil)
}
