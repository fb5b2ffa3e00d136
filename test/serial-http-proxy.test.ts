/**
 * The moto backend's DynamoDB goes through a serialising proxy
 * (support/serial-http-proxy.ts) because moto's item writes are not atomic
 * under concurrent requests. This shows both: moto alone lets several
 * conditional updates of one item pass the same condition (the gap, printed:
 * it depends on thread timing), and through the proxy exactly one wins every
 * round, as on DynamoDB.
 *
 * Skipped (counted as skipped) where moto_server is not installed.
 */
import { CreateTableCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { hasMotoServer, type Moto, startMoto } from "./support/moto.ts";
import { type SerialProxy, startSerialProxy } from "./support/serial-http-proxy.ts";

const available = hasMotoServer();
if (!available) console.log("moto_server not installed: skipping the serial proxy tests against moto");
const it = available ? test : test.skip;

const ROUNDS = 40;
const CONTENDERS = 30;

let moto: Moto;
let proxy: SerialProxy;

test.before(async () => {
  if (available) {
    moto = await startMoto();
    proxy = await startSerialProxy(moto.endpoint);
  }
});
test.after(async () => {
  if (available) {
    await proxy.close();
    await moto.close();
  }
});

const clientOf = (endpoint: string) => new DynamoDBClient({ ...moto.clientConfig, endpoint, maxAttempts: 1 });

/** Rounds in which more than one of CONTENDERS concurrent `v = 0 → 1` updates of one item succeeded, and in which none did. */
const race = async (db: DynamoDBClient, table: string): Promise<{ several: number; none: number }> => {
  await db.send(
    new CreateTableCommand({
      TableName: table,
      KeySchema: [{ AttributeName: "k", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "k", AttributeType: "S" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  let several = 0;
  let none = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const Key = { k: { S: `r${round}` } };
    await db.send(new PutItemCommand({ TableName: table, Item: { ...Key, v: { N: "0" } } }));
    const outcomes = await Promise.all(
      Array.from({ length: CONTENDERS }, (_, i) =>
        db
          .send(
            new UpdateItemCommand({
              TableName: table,
              Key,
              UpdateExpression: "SET v = :one, winner = :me",
              ConditionExpression: "v = :zero",
              ExpressionAttributeValues: { ":one": { N: "1" }, ":zero": { N: "0" }, ":me": { S: `c${i}` } },
            }),
          )
          .then(
            () => 1,
            (error: Error) => (error.name === "ConditionalCheckFailedException" ? 0 : Promise.reject(error)),
          ),
      ),
    );
    const wins = outcomes.reduce((a, b) => a + b, 0);
    if (wins > 1) several++;
    if (wins === 0) none++;
  }
  return { several, none };
};

it("through the proxy, exactly one of 30 concurrent conditional updates of an item wins, every round", async () => {
  const direct = await race(clientOf(moto.endpoint), "direct");
  console.log(
    `  moto alone: ${direct.several} of ${ROUNDS} rounds had several winners, ${direct.none} had none (the gap; timing-dependent)`,
  );
  const before = proxy.forwarded();
  const serial = await race(clientOf(proxy.endpoint), "serial");
  console.log(`  through the proxy: ${serial.several} rounds with several winners, ${serial.none} with none`);
  assert.equal(serial, { several: 0, none: 0 });
  assert.ok(proxy.forwarded() - before >= ROUNDS * (CONTENDERS + 1), "every request went through the proxy");
});

test.run();
