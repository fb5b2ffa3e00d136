import { ConfigError } from "@cvpipe/core/errors";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { settingsFromEnv } from "./settings.ts";

test("ports default, 0 picks a free one, and a bad port is a ConfigError naming the variable", () => {
  assert.is(settingsFromEnv({}).apiPort, 3000);
  assert.is(settingsFromEnv({ CVPIPE_SQS_PORT: "0" }).sqsPort, 0);
  for (const bad of ["65536", "-1", "80.5", "http", " "]) {
    try {
      settingsFromEnv({ CVPIPE_DYNAMODB_PORT: bad });
      assert.unreachable(`"${bad}" accepted`);
    } catch (error) {
      assert.instance(error, ConfigError, bad);
      assert.match((error as Error).message, /CVPIPE_DYNAMODB_PORT must be a port number 0-65535/);
    }
  }
});

test.run();
