// Imported first by the local entry points (npm start, bench, load): the SDK and the Powertools
// singletons read these when they are first built. Node 20 is supported here for development;
// Lambda runs nodejs22.x. The handlers themselves read no environment: the local stack composes them.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.AWS_REGION ??= 'eu-west-1';
process.env.POWERTOOLS_SERVICE_NAME ??= 'community-autopilot-local';
// No CloudWatch here: the EMF lines would only clutter the terminal.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
