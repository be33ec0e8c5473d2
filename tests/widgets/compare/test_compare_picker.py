"""The image picker's filter: words by run, step number (whole), method; keys move and add."""

from __future__ import annotations

from PySide6.QtCore import Qt

from widgets.compare.picker import ImagePicker, PickerEntry, entry_matches

STEP_3 = PickerEntry("step 3 of edit-chain: face", "step", "edit-chain", 3, "mirror")
STEP_13 = PickerEntry("step 13 of edit-chain: face", "step", "edit-chain", 13, "mirror")
RESTORED = PickerEntry("restored: face x2 [swinir]", "restored", "", None, "swinir")


def test_every_word_must_match_and_numbers_match_whole():
    assert entry_matches("", STEP_3)
    assert entry_matches("chain 3", STEP_3)
    assert not entry_matches("chain 3", STEP_13)
    assert entry_matches("EDIT 13", STEP_13)
    assert entry_matches("swinir", RESTORED) and not entry_matches("swinir", STEP_3)
    assert entry_matches("03", STEP_3)  # a step number written with a leading zero
    assert entry_matches("x2", RESTORED) and entry_matches("2", RESTORED)
    assert not entry_matches("face mirror", RESTORED)


def test_typing_arrows_and_enter_choose(qtbot):
    picker = ImagePicker([STEP_3, STEP_13, RESTORED])
    qtbot.addWidget(picker)
    picker.show()
    chosen = []
    picker.chosen.connect(chosen.append)
    assert picker.count_label.text() == "3 of 3 images"
    qtbot.keyClicks(picker.filter, "edit")
    assert picker.visible_labels() == [STEP_3.label, STEP_13.label]
    qtbot.keyClick(picker.filter, Qt.Key.Key_Down)
    qtbot.keyClick(picker.filter, Qt.Key.Key_Up)
    qtbot.keyClick(picker.filter, Qt.Key.Key_Down)
    assert picker.current_entry() == 1
    qtbot.keyClicks(picker.filter, " zzz")
    assert picker.visible_labels() == [] and not picker.add_button.isEnabled()
    qtbot.keyClick(picker.filter, Qt.Key.Key_Return)  # nothing to add: stays open
    assert chosen == [] and picker.isVisible()
    picker.filter.clear()
    qtbot.keyClicks(picker.filter, "swinir")
    qtbot.keyClick(picker.filter, Qt.Key.Key_Return)
    assert chosen == [2] and not picker.isVisible()
