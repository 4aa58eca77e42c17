/** The live dashboard against `gridtier serve` (its login, views and feed follow). */
export function LiveApp() {
  return (
    <main>
      <h1>GridTier</h1>
    </main>
  );
}
