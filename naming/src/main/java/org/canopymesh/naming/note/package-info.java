/**
 * C2SP signed notes (c2sp.org/signed-note): {@link org.canopymesh.naming.note.Note} parses,
 * formats, signs and verifies; {@link org.canopymesh.naming.note.VerifierKey} is the {@code
 * name+id+key} text form; {@link org.canopymesh.naming.note.NoteKeys} makes Ed25519 signers and
 * verifiers. Records, checkpoints, cosignatures and agent reports are all notes.
 */
package org.canopymesh.naming.note;
