import type { LocalSettings } from "../settings.ts";

/** Settings for tests that plan a stack without starting one: the default ports, no data directory. */
export const FIXED_SETTINGS: LocalSettings = {
  dataDir: "/nonexistent",
  apiPort: 3000,
  sqsPort: 4566,
  dynamoDbPort: 8000,
  sesPort: 8005,
  bedrockPort: 8011,
  openaiPort: 8012,
  region: "us-east-1",
};
