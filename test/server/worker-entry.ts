// The workerd module worker of test/server/workerd.test.ts: the test application, configured from bindings.
import { createApp, type AppEnv } from './app';

export default {
  fetch(request: Request, env: AppEnv): Promise<Response> {
    return createApp(env)(request);
  },
};
