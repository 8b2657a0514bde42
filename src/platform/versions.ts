// Every pinned version of an outside tool lives here, and only here.

/** The official Temporal CLI; v1.5.1 carries Temporal server 1.29.1 and still builds with `go install`
 * (from v1.6.0 its go.mod has a replace directive that `go install` refuses). */
export const temporalCli = {
  module: 'github.com/temporalio/cli/cmd/temporal',
  version: '1.5.1',
  serverVersion: '1.29.1',
} as const;

/** Temporal's time-skipping test server, the Java one from Maven Central. */
export const temporalTestServer = {
  groupId: 'io.temporal',
  artifactId: 'temporal-test-server',
  version: '1.38.0',
  mainClass: 'io.temporal.testserver.TestServer',
} as const;

/** Temporal's own server and its SQL tool, for the cluster shape: the server version the CLI carries. */
export const temporalServer = {
  module: 'go.temporal.io/server',
  version: '1.29.1',
} as const;

/** Temporal's Web UI server for the cluster shape: the version the pinned CLI carries for its dev server. */
export const temporalUi = {
  module: 'github.com/temporalio/ui-server/v2',
  version: '2.42.1',
} as const;
