// Fixtures run in parallel: each has its own schema, exchange and queues, and most of a test's time
// is spent waiting on a broker, a database or a timer, not on the two cores. A fixture or test that
// stops the shared broker or database is [NonParallelizable] and runs alone.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(6)]
