// The SDK's wire types against the schemas that validate the server's requests and write its
// OpenAPI document: checked by the compiler when the tests are built, so a field renamed,
// added or retyped on one side and not on the other fails the build, not a client at run time.
import type * as sdk from '@gridtier/sdk';
import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type * as s from './schemas.js';

type Out<T extends z.ZodType> = z.output<T>;
type In<T extends z.ZodType> = z.input<T>;
type Item<T> = T extends readonly (infer I)[] ? I : never;
/** true when every A is a B (plain assignability: expect-type's own check trips over `unknown` values) */
type Fits<A, B> = [A] extends [B] ? true : false;

describe('the SDK’s types are the API’s schemas', () => {
  it('reads: each view the SDK returns is exactly what the server sends', () => {
    expectTypeOf<sdk.SessionView>().toEqualTypeOf<Item<Out<typeof s.marketsResponse>['sessions']>>();
    expectTypeOf<sdk.OrderAckView>().toEqualTypeOf<Out<typeof s.orderAck>>();
    expectTypeOf<sdk.OrderView>().toEqualTypeOf<Out<typeof s.orderView>>();
    expectTypeOf<sdk.FillView>().toEqualTypeOf<Item<Out<typeof s.fillsResponse>['fills']>>();
    expectTypeOf<sdk.BookView>().toEqualTypeOf<Out<typeof s.bookResponse>>();
    expectTypeOf<sdk.ClearingView>().toEqualTypeOf<Item<Out<typeof s.clearingsResponse>['clearings']>>();
    expectTypeOf<sdk.DlmpView>().toEqualTypeOf<Item<Out<typeof s.dlmpsResponse>['dlmps']>>();
    expectTypeOf<sdk.StatementView>().toEqualTypeOf<Item<Out<typeof s.statementsResponse>['statements']>>();
  });

  it('writes: whatever the SDK lets a caller send has the shape the server takes', () => {
    expectTypeOf<Fits<sdk.OrderSubmission, In<typeof s.orderRequest>>>().toEqualTypeOf<true>();
    expectTypeOf<Fits<sdk.TradeOrderInput, In<typeof s.tradeOrder>>>().toEqualTypeOf<true>();
    expectTypeOf<Fits<sdk.LemOrderInput, In<typeof s.tradeOrder>>>().toEqualTypeOf<true>();
    expectTypeOf<
      Fits<sdk.MeterReadingInput, Item<In<typeof s.readingsRequest>['readings']>>
    >().toEqualTypeOf<true>();
  });
});
