/** CDK app entry (see cdk.json): one stage of cvpipe, configured by context. */
import { App } from "aws-cdk-lib";
import { buildCvpipe } from "./cvpipe-app.ts";

const app = new App();
buildCvpipe(app);
app.synth();
