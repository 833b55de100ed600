"""The device's speech for the browser tests: headless Chromium has no voices, so a test gives
the page a speech synthesis of its own that records what it is asked to say."""

import json

# The device's speech: the voices it offers, and a speak() that records the utterance and lets
# the test fire the engine's word boundaries (window.sayWord).
FAKE_SPEECH = """(() => {
  const voices = VOICES;
  window.spoken = [];
  window.cancelled = 0;
  let current = null;
  class Utterance extends EventTarget {
    constructor(text) { super(); this.text = text; this.lang = ""; this.voice = null; }
  }
  window.SpeechSynthesisUtterance = Utterance;
  const speech = new EventTarget();
  Object.assign(speech, {
    speaking: false,
    getVoices: () => voices,
    speak(utterance) {
      current = utterance;
      this.speaking = true;
      window.spoken.push({
        text: utterance.text, lang: utterance.lang, voice: utterance.voice && utterance.voice.name,
      });
    },
    cancel() { window.cancelled += 1; this.speaking = false; current = null; },
  });
  window.sayWord = (number) => {
    const words = [...current.text.matchAll(/\\S+/g)];
    const word = words[number];
    const event = new Event("boundary");
    Object.assign(event, { name: "word", charIndex: word.index, charLength: word[0].length });
    current.dispatchEvent(event);
    return word[0];
  };
  Object.defineProperty(window, "speechSynthesis", { value: speech, configurable: true });
})();"""

DUTCH = {"name": "Nederlands", "lang": "nl-NL", "localService": True}
FLEMISH = {"name": "Vlaams", "lang": "nl-BE", "localService": True}
ENGLISH = {"name": "English", "lang": "en-US", "localService": True}
# a voice in the cloud: the text would leave the device
ONLINE_DUTCH = {"name": "Online Nederlands", "lang": "nl-NL", "localService": False}


def give_voices(page, voices):
    """From the next page on, `page` speaks with `voices` and records in window.spoken."""
    page.add_init_script(FAKE_SPEECH.replace("VOICES", json.dumps(voices)))
