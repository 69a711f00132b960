"""Migration 0161: a warehouse written before predictions were per market keeps its rows, as points, in the renamed
tables with the pipeline's column order (so the writer does not recreate them), and its ledger follows the name."""

from nbaprops.models.player_prop_predictions import SCHEMA
from nbaprops.warehouse import connect
from nbaprops.warehouse.connection import migrate


def test_old_points_rows_move_to_the_market_tables(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    # back to the state before 0161, with the points table in the shape the pipeline wrote it
    con.execute("DROP TABLE predictions.player_prop_predictions")
    con.execute("DROP TABLE predictions.prediction_accuracy")
    con.execute(
        "CREATE TABLE predictions.player_points_predictions (system VARCHAR, model_version VARCHAR, game_id VARCHAR, "
        "player_id BIGINT, game_date DATE, player_name VARCHAR, team VARCHAR, opponent VARCHAR, "
        "predicted_points DOUBLE, bookmaker VARCHAR, line DOUBLE, over_price DOUBLE, under_price DOUBLE, "
        "edge DOUBLE, recommendation VARCHAR, confidence DOUBLE, feature_version INTEGER)"
    )
    con.execute(
        "INSERT INTO predictions.player_points_predictions VALUES ('gbm', 'v1', 'g1', 7, DATE '2025-11-10', "
        "'Ann Able', 'BOS', 'NYK', 23.0, 'fanduel', 20.5, -110, -110, 2.5, 'OVER', 0.6, 4)"
    )
    con.execute(
        "CREATE TABLE predictions.prediction_accuracy AS SELECT 'gbm' AS system, 'v1' AS model_version, "
        "'g1' AS game_id, 7::BIGINT AS player_id, DATE '2025-11-10' AS game_date, 23.0::DOUBLE AS predicted_points, "
        "21.0::DOUBLE AS actual_points, 'active' AS player_status"
    )
    con.execute(
        "INSERT INTO ops.partitions (table_name, partition_date, state) "
        "VALUES ('predictions.player_points_predictions', DATE '2025-11-10', 'done')"
    )
    con.execute("DELETE FROM ops.schema_version WHERE version = 161")
    assert migrate(con) == [161]
    moved = con.execute("SELECT market, player_name, predicted_value, line FROM predictions.player_prop_predictions")
    assert moved.fetchall() == [("points", "Ann Able", 23.0, 20.5)]
    con.register("written", SCHEMA.empty_table())  # what the pipeline's compute hands the writer
    shape = "SELECT column_name, column_type FROM (DESCRIBE {})"
    assert (
        con.execute(shape.format("predictions.player_prop_predictions")).fetchall()
        == con.execute(shape.format("written")).fetchall()
    )
    graded = con.execute("SELECT market, predicted_value, actual_value FROM predictions.prediction_accuracy")
    assert graded.fetchall() == [("points", 23.0, 21.0)]
    tables = con.execute("SELECT DISTINCT table_name FROM ops.partitions").fetchall()
    assert tables == [("predictions.player_prop_predictions",)]
    old_left = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'player_points_predictions'")
    assert old_left.fetchone() == (0,)
    con.close()
