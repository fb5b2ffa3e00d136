/**
 * The environment variables the CLI itself reads; the embedded stack's (its data directory, ports)
 * are @cvpipe/local's (`DATA_DIR_ENV` in settings.ts).
 */

/** A deployed stage to work on instead of the embedded stack: its name (`prod`). */
export const STAGE_ENV = "CVPIPE_STAGE";
/** On a stage, the API's URL (the service stack's ApiUrl output). */
export const API_URL_ENV = "CVPIPE_API_URL";
/** On a stage, the bearer token the producer commands send (a JWT from the identity provider). */
export const TOKEN_ENV = "CVPIPE_TOKEN";
