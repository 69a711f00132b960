-- Every `nbaprops backtest` run's full result, so `nbaprops report` can draw the latest one per market without
-- running a walk-forward backtest itself. Ids are max + 1 (docs/architecture.md, Warehouse).
CREATE TABLE ops.backtests (
    backtest_id INTEGER NOT NULL,
    market VARCHAR NOT NULL,              -- points (the stat the props are on)
    created_at TIMESTAMP NOT NULL,
    start_date DATE NOT NULL,
    end_date DATE NOT NULL,
    retrain VARCHAR NOT NULL,             -- monthly | weekly
    availability VARCHAR NOT NULL,        -- live | oracle (an upper bound)
    result JSON NOT NULL                  -- BacktestReport.to_dict(): what `backtest --format json` prints
);
COMMENT ON TABLE ops.backtests IS 'One row per nbaprops backtest run: its span, settings and full result as JSON; the HTML report draws the latest per market.';
COMMENT ON COLUMN ops.backtests.backtest_id IS 'Run id, max + 1.';
COMMENT ON COLUMN ops.backtests.market IS 'The prop market backtested (points).';
COMMENT ON COLUMN ops.backtests.created_at IS 'When the backtest finished (local time of the machine).';
COMMENT ON COLUMN ops.backtests.start_date IS 'First game date predicted.';
COMMENT ON COLUMN ops.backtests.end_date IS 'Last game date predicted.';
COMMENT ON COLUMN ops.backtests.retrain IS 'How often the walk-forward refitted: monthly or weekly.';
COMMENT ON COLUMN ops.backtests.availability IS 'live (what a run before tip-off knows) or oracle (the archive active lists of the game date, an upper bound).';
COMMENT ON COLUMN ops.backtests.result IS 'The whole report as JSON (BacktestReport.to_dict), NaN as null.';
