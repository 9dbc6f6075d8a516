/**
 * Text from a file made safe to print for a person to read in a terminal: the engine's
 * {@link escapeControls}, under the name the CLI's output code reads best with.
 */
export { escapeControls as terminalText } from '../engine';
