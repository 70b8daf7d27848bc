"""``python -m geo move-store``: a whole store, every version and its history, into another database."""

from __future__ import annotations

from geo import store
from geo.accounts import auth
from geo.cli.main import main
from geo.store.engine import connect
from geo.upload import open_city
from tests.test_store_migrations import old_store, store_rows


def test_move_store_copies_every_table_and_the_store_goes_on(tmp_path, store_url, capsys):
    source, _ = old_store(tmp_path)  # written by an older version: moved after its upgrade
    assert main(["move-store", "--from", f"sqlite:///{source}", "--to", store_url]) == 0
    assert "moved" in capsys.readouterr().out
    target, original = connect(store_url), connect(f"sqlite:///{source}")
    assert store_rows(target) == store_rows(original)
    assert store.original_file(target, 7) == store.original_file(original, 7)
    assert auth.authenticate(target, "clerk", "battery staple").role == "staff"
    # ids go on after the moved ones: the next version is 10, the next account gets a new id
    frame = store.current(target, "supplies").head(2).assign(on_hand=1.0)
    assert store.apply_rows(target, "supplies", frame, "clerk").version == 10
    auth.add_user(auth.SYSTEM, target, "wang", "viewer", "a long password")


def test_move_store_refuses_a_database_that_holds_a_store(tmp_path, store_url, tiny_dir, capsys):
    open_city(store_url, tiny_dir)
    source, _ = old_store(tmp_path)
    assert main(["move-store", "--from", f"sqlite:///{source}", "--to", store_url]) == 1
    assert "empty" in capsys.readouterr().err
    assert store.newest_version(connect(store_url)) == 6  # the target's own seed, untouched
