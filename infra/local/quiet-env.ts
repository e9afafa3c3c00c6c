// Imported first by the local entry points: the SDK reads this when its first client is built.
// Node 20 is supported here for development; Lambda runs nodejs22.x.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.AWS_REGION ??= 'eu-west-1';
