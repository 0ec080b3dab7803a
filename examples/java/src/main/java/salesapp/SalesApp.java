package salesapp;

import io.github.cdksyntheticdata.Column;
import io.github.cdksyntheticdata.DecimalColumnOptions;
import io.github.cdksyntheticdata.IntegerColumnOptions;
import io.github.cdksyntheticdata.Schema;
import io.github.cdksyntheticdata.SyntheticDataGenerator;
import io.github.cdksyntheticdata.SyntheticDataGeneratorProps;
import io.github.cdksyntheticdata.TimestampColumnOptions;
import java.util.List;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;

/**
 * The example sales app (examples/sales-app.ts) in Java: a mirror of addSalesStack() there, without sharding. Keep
 * the stack, the columns and the props in step with it; test/languages/java-app.check.ts compares the templates.
 */
public final class SalesApp {
  public static final String SALES_STACK_NAME = "SyntheticSalesData";

  private SalesApp() {
  }

  /** The sales table built with the typed schema API (examples/sales.schema.json is the same, as JSON). */
  public static Schema salesSchema() {
    return Schema.fromColumns(List.of(
        Column.uuid("order_id"),
        Column.faker("customer", "person.fullName"),
        Column.faker("email", "internet.email"),
        Column.faker("product", "commerce.productName"),
        Column.integer("quantity", IntegerColumnOptions.builder().min(1).max(20).build()),
        Column.decimal("unit_price", DecimalColumnOptions.builder().min(1).max(500).fractionDigits(2).build()),
        Column.timestamp("order_date", TimestampColumnOptions.builder().from("2024-01-01T00:00:00Z").to("2024-12-31T23:59:59Z").build()),
        Column.faker("region", "location.state")));
  }

  /** Builds the example app's stack in {@code app}. */
  public static Stack addSalesStack(App app) {
    Stack stack = new Stack(app, SALES_STACK_NAME, StackProps.builder()
        .env(Environment.builder().account("123456789012").region("us-east-1").build())
        .build());
    new SyntheticDataGenerator(stack, "SalesData", SyntheticDataGeneratorProps.builder()
        .schema(salesSchema())
        .datasetName("sales")
        .rows(10_000)
        .build());
    return stack;
  }

  public static void main(String[] args) {
    App app = new App(); // writes to CDK_OUTDIR (set by `cdk synth`), else to a temporary directory
    addSalesStack(app);
    app.synth();
  }
}
