// Failures' messages and stack traces as payloads, so the payload codec encrypts them too (they can
// hold what a refusal says). CommonJS: Temporal's client and worker `require()` it by path, and the
// worker bundles it into the workflows.
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
