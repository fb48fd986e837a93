import { buildApp } from './build-app';

/** CDK entry (`cdk.json`): `npx cdk synth --all` works offline, without credentials. */
buildApp().app.synth();
