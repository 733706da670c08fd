// Development runs on Node 20 while the Lambdas run on 24; the SDK's reminder about that is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
