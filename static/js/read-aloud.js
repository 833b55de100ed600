// "Lees voor": a button before every block marked data-read-aloud reads its text aloud in Dutch
// with the browser's own speech synthesis, marking the word being read. Only a voice on the
// device itself is used, so no text leaves it; without a Dutch one the button says so rather
// than read Dutch with an English voice. The words come translated from the <script> tag's
// data attributes (base.html), the picture from its data-icon.
(() => {
  const script = document.currentScript;
  const words = script.dataset;
  const synth = window.speechSynthesis;
  const HIGHLIGHT = "read-aloud";
  let reading = null; // {button, utterance} while a block is read

  function dutchVoice() {
    if (!synth) return null;
    const local = synth.getVoices().filter((voice) => voice.localService !== false);
    const dutch = local.filter((voice) => voice.lang.replace("_", "-").toLowerCase().startsWith("nl"));
    return dutch.find((voice) => voice.lang.replace("_", "-") === "nl-NL") || dutch[0] || null;
  }

  function label(button, text, state) {
    button.querySelector("span").textContent = text;
    button.dataset.state = state;
  }

  // The block's text, and where each text node starts in it: a boundary event's character
  // index is found back in the page. Blocks (paragraphs, list items) are kept apart by a
  // line break, so the voice pauses between them instead of running words together.
  function textOf(block) {
    const pieces = [];
    let text = "";
    let lastParent = null;
    // a line break with only spaces around it is the markup's indentation, not a word gap
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) =>
        /^\s*\n\s*$/.test(node.data) ||
        node.parentElement.closest(".read-aloud, [aria-hidden=true], [hidden], svg")
          ? NodeFilter.FILTER_REJECT
          : NodeFilter.FILTER_ACCEPT,
    });
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = blockOf(node, block);
      if (lastParent && parent !== lastParent) text += "\n";
      lastParent = parent;
      pieces.push({ node, start: text.length });
      text += node.data;
    }
    return { text, pieces };
  }

  function blockOf(node, root) {
    let element = node.parentElement;
    while (element !== root && getComputedStyle(element).display.startsWith("inline")) {
      element = element.parentElement;
    }
    return element;
  }

  function mark(source, index, length) {
    if (!window.CSS || !CSS.highlights || typeof Highlight === "undefined") return;
    if (!length) {
      const rest = source.text.slice(index).search(/\s/);
      length = rest < 0 ? source.text.length - index : rest;
    }
    const piece = [...source.pieces].reverse().find((candidate) => candidate.start <= index);
    if (!piece) return;
    const start = index - piece.start;
    const end = Math.min(start + length, piece.node.data.length);
    const range = document.createRange();
    range.setStart(piece.node, start);
    range.setEnd(piece.node, end);
    CSS.highlights.set(HIGHLIGHT, new Highlight(range));
  }

  function stop() {
    if (!reading) return;
    const { button } = reading;
    reading = null;
    synth.cancel();
    if (window.CSS && CSS.highlights) CSS.highlights.delete(HIGHLIGHT);
    label(button, words.label, "idle");
    button.setAttribute("aria-pressed", "false");
  }

  function read(button, block) {
    const voice = dutchVoice();
    if (!voice) {
      label(button, words.noVoice, "no-voice");
      return;
    }
    const source = textOf(block);
    const utterance = new SpeechSynthesisUtterance(source.text);
    utterance.voice = voice;
    utterance.lang = voice.lang.replace("_", "-");
    utterance.rate = 0.9; // a little slower: many participants read and listen with difficulty
    utterance.addEventListener("boundary", (event) => {
      if (event.name === "word") mark(source, event.charIndex, event.charLength);
    });
    const done = () => {
      if (reading && reading.utterance === utterance) stop();
    };
    utterance.addEventListener("end", done);
    utterance.addEventListener("error", done);
    reading = { button, utterance };
    label(button, words.stop, "reading");
    button.setAttribute("aria-pressed", "true");
    synth.speak(utterance);
  }

  function addButton(block) {
    if (block.dataset.readAloudReady) return;
    block.dataset.readAloudReady = "true";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button read-aloud no-print";
    button.setAttribute("aria-pressed", "false");
    const icon = document.createElement("img");
    icon.src = words.icon;
    icon.alt = "";
    button.append(icon, document.createElement("span"));
    label(button, words.label, "idle");
    button.addEventListener("click", () => {
      const mine = reading && reading.button === button;
      stop();
      if (!mine) read(button, block);
    });
    // after the block's heading, so the button belongs to the block it reads
    const heading = block.firstElementChild;
    if (heading && /^H[1-6]$/.test(heading.tagName)) heading.after(button);
    else block.before(button);
  }

  // Voices load after the page on some devices: once they are known, a device without a Dutch
  // one says so before anyone presses, and one that has it after all reads again.
  function showVoice() {
    if (!synth || !synth.getVoices().length) return;
    const state = dutchVoice() ? "idle" : "no-voice";
    document.querySelectorAll(".read-aloud:not([data-state=reading])").forEach((button) => {
      label(button, state === "idle" ? words.label : words.noVoice, state);
    });
  }

  function setUp(root) {
    if (root.matches && root.matches("[data-read-aloud]")) addButton(root);
    root.querySelectorAll("[data-read-aloud]").forEach(addButton);
    showVoice();
  }

  setUp(document);
  if (synth) synth.addEventListener("voiceschanged", showVoice);
  // pages that htmx swaps in get their buttons too; leaving a page stops the voice
  document.addEventListener("htmx:load", (event) => setUp(event.detail.elt));
  document.addEventListener("htmx:beforeSwap", stop);
  window.addEventListener("pagehide", stop);
})();
