#!/usr/bin/env python3
"""Write the bundled workshop and interview transcripts for "thematic".

The five sessions belong to the same fictional consultation as
../digital_clinical_safety_consultation.csv: a national digital clinical safety
strategy for a health service. The dialogue below was written for this project;
no real people, sessions or organisations' views are represented, and every
name is fictitious. Organisations (NHS England, the MHRA) are named only as
subjects of comments.

Each session is rendered in the format an analyst would receive it in:

- a Microsoft Teams WebVTT export (cue ids, `<v Name>` voice tags, answers cut
  into short cues, `&amp;` escapes);
- a Zoom WebVTT export (numbered cues, `Name: text` in every cue);
- an SRT file from a transcription service (two-line cues, the speaker named
  only when the speaker changes);
- plain text typed up from a recording, with `[hh:mm:ss] Name:` turns;
- plain text with `Name:` turns and paragraphs, no timestamps.

Usage (from the repository root):

    python3 data/transcripts/make_transcripts.py

Standard library only; the output is byte-for-byte deterministic.
"""

import os
import random

SEED = 20250522
HERE = os.path.dirname(os.path.abspath(__file__))

# speaker, group (exactly as in the survey's `group` column; None for facilitators), role
SPEAKERS = [
    ("Sam Okafor", None, "facilitator"),
    ("Ruth Mensah", None, "facilitator"),
    ("Ali Rahman", None, "facilitator"),
    ("Nadia Karim", None, "facilitator"),
    ("Dr Amara Patel", "Clinicians", "participant"),
    ("Ellen Brooks", "Clinicians", "participant"),
    ("Tomasz Nowak", "Clinicians", "participant"),
    ("Kit Lam", "Clinical safety officers", "participant"),
    ("Owen Price", "Clinical safety officers", "participant"),
    ("Grace Adeyemi", "Health and care managers", "participant"),
    ("Mark Ellison", "Health and care managers", "participant"),
    ("Joan Fletcher", "Patients and public", "participant"),
    ("Daniel Osei", "Patients and public", "participant"),
    ("Bernadette Quinn", "Patients and public", "participant"),
    ("Harpreet Gill", "Patients and public", "participant"),
    ("Fiona Strachan", "Suppliers and industry", "participant"),
    ("Dr Ifeoma Daniels", "Government and regulators", "participant"),
]

# ---------------------------------------------------------------------------
# Sessions. A turn is (speaker, text); "\n\n" in a text separates paragraphs.
# ---------------------------------------------------------------------------

WORKSHOP_CLINICAL = [
    ("Sam Okafor", "Good afternoon, everyone, and thank you for giving up a lunchtime. I'm Sam Okafor from the strategy team, and this is the first of our workshops on the draft digital clinical safety strategy. We're recording for the transcript only, and nothing will be attributed to you by name. I'd like to start with the risks you see day to day. Who wants to go first?"),
    ("Dr Amara Patel", "I'll start, because it's the thing that drives me mad: alert fatigue. On a busy medical take I can override thirty drug interaction warnings in a shift, and maybe one of them matters. The system fires the same warning for every patient on a statin and clarithromycin, whether or not it's relevant. So everyone learns to click through, and the one alert that really matters looks exactly like the twenty-nine that don't. Last winter one of our nurses gave a second dose of enoxaparin because the duplicate warning was the fourth pop-up on the screen. She's an excellent nurse. I don't blame her. I blame the design."),
    ("Sam Okafor", "Thank you. Is that the same for others?"),
    ("Ellen Brooks", "Completely. And it isn't only the alerts. The screens are cluttered, allergies are hidden behind a tab, and finding the last set of bloods takes eleven clicks. I've timed it. When we're short-staffed the documentation gets done at the end of the shift from memory, and that's where mistakes creep in. Most of my newer nurses have never worked on paper, so when the system goes down they genuinely don't know what to do."),
    ("Tomasz Nowak", "From pharmacy, the biggest risk I see is around e-prescribing and transfers. Doses get lost when someone moves from A&E to a ward, or from hospital to community, because the systems don't talk to each other and people re-key the medication list by hand. The drop-down menus are another one: the wrong strength sits one line away from the right one. We had ten milligrams prescribed instead of one point zero because the decimal point was almost invisible on the order screen. The pharmacist caught it. Next time they might not."),
    ("Kit Lam", "Can I come in on the alerts point from the safety side? Part of the problem is governance. Nobody owns the alert library locally. Every serious incident investigation ends with \"add an alert\", rules get added and are never retired, and the configuration was left at the supplier's defaults, which were never designed for UK practice. Under DCB0160 we're supposed to assess every change, but adding an alert is rarely treated as a change with its own hazard, which is more alert burden."),
    ("Sam Okafor", "So what should the strategy do about it?"),
    ("Kit Lam", "Trusts need to give a named clinical lead ownership of the decision support rules, and review override rates at least once a year. Any alert that is overridden more than nine times in ten should have to justify its existence. And NHS England should publish national guidance on alert design, including when a hard stop is justified, because at the moment every trust is reinventing it."),
    ("Dr Amara Patel", "I'd add that suppliers should ship a small, evidence-based alert set rather than everything switched on. And tier them, so the genuinely dangerous ones look different from the ones that are only for information."),
    ("Grace Adeyemi", "Speaking as the person who signs off go-lives, I agree with all of that, but I want to raise the go-live itself. We went live with our new EPR eighteen months ago. The training was two hours of e-learning and a half-day classroom session, and staff couldn't be released from rotas to attend, so about a third of them did the e-learning on a night shift. The first six weeks were the riskiest period in the hospital that I can remember. We had floor-walkers, but not enough, and the clinical safety case was written by the supplier and signed off in a hurry because the date was fixed by the contract."),
    ("Sam Okafor", "What would have made it safer?"),
    ("Grace Adeyemi", "Three things. Protected time for training, funded centrally, because trusts can't find it from operational budgets. A go-live date set by readiness, not by the contract, with a clinical safety gate that can stop the go-live and a CSO who has the authority to use it. And proper funding for the clinical safety role. Kit is one of two clinical safety officers for a trust of eight thousand staff."),
    ("Kit Lam", "And one of us is part-time. Honestly, most of the clinical safety work is squeezed into spare time that doesn't exist."),
    ("Ellen Brooks", "On downtime, we had a nine-hour outage on a Saturday last year. The downtime box on my ward had forms from the previous system. By the time the EPR came back, two patients had missed time-critical Parkinson's medication. Trusts need to run realistic downtime drills, including at night and at weekends, and every ward needs a read-only view of allergies and current medicines for when the main system falls over."),
    ("Tomasz Nowak", "Reconciling afterwards is the bit no one plans. Who back-enters what happened on paper? That's where doses get missed or duplicated. Recovery after an outage should be in the hazard log as a hazard in its own right."),
    ("Sam Okafor", "We have about ten minutes left. If you could each give me one recommendation for the strategy, what would it be?"),
    ("Dr Amara Patel", "Treat alert burden as a patient safety risk in its own right, and measure it."),
    ("Ellen Brooks", "Give us time. Time to learn the system, time to report problems, time to think."),
    ("Tomasz Nowak", "Make interoperability of medicines information a national requirement, so that a patient's medication list follows them from hospital to community without anyone typing it in again."),
    ("Kit Lam", "Fund the clinical safety officer workforce properly, with a career path, and make the DCB0129 and DCB0160 standards clearer about what good looks like."),
    ("Grace Adeyemi", "Stop letting contract dates drive go-lives. A system should only go live when the safety case says the organisation is ready."),
    ("Sam Okafor", "Thank you all, that's really helpful. We'll share a summary with you before it goes into the consultation report."),
]

WORKSHOP_PUBLIC_HEADER = [
    "Digital clinical safety strategy - public workshop",
    "Date: 22 May 2025",
    "Venue: Northgate Community Centre, Room 2",
    "Attendees: four members of the public, one practice manager, two facilitators",
    "Transcribed from the audio recording by the strategy team; names are fictitious.",
]

WORKSHOP_PUBLIC = [
    ("Ruth Mensah", "Right, I think we're all here. Thanks for coming out on such a wet evening. My name's Ruth Mensah and I'm one of the facilitators, and Ali is taking notes. We're here to hear what you think about the safety of digital health services: apps, online records, booking, that sort of thing. There are no wrong answers. Joan, would you like to start us off?"),
    ("Joan Fletcher", "Well, I'll be honest, I'm not a computer person. My husband has dementia and I do everything for him, and now the surgery wants everything done online. The phone lines are engaged from eight o'clock, and when you do get through they tell you to fill in the form on the website. I haven't got a smartphone. My granddaughter set up the app for me but I can't remember the password, and every time it locks me out.\n\nLast month I waited three weeks for his blood test because I couldn't use the online booking. Nobody seems to think about people like us."),
    ("Ali Rahman", "Sorry, Joan, could you say the bit about the blood test again for the notes?"),
    ("Joan Fletcher", "Three weeks for a blood test, because I couldn't book it online."),
    ("Daniel Osei", "Can I pick up on that? I'm partially sighted and I use a screen reader. Most of the hospital portals simply don't work with it. The buttons aren't labelled, so my screen reader just says button, button, button. [laughter] It's funny until you're trying to rebook a cancer follow-up. Accessibility isn't a nice extra. If a system doesn't meet accessibility standards, it shouldn't be bought."),
    ("Bernadette Quinn", "My experience is the other side of it. I'm quite comfortable with the app, but I saw my biopsy result on it on a Friday evening, before anyone had explained it. I was on my own all weekend with a word I had to look up. Nobody from the hospital called until the following Wednesday.\n\nI'm not saying hide results from people. But there need to be clear rules on when sensitive results are released, and someone you can talk to."),
    ("Ruth Mensah", "That's a really important point. Harpreet?"),
    ("Harpreet Gill", "My son has a learning disability and epilepsy. His record says he's allergic to penicillin, and he isn't. It was a mix-up with another patient years ago, and it has followed him through every system since. I've asked three times for it to be corrected, and each time I'm told it's been passed on to someone. Meanwhile he gets second-line antibiotics that don't work as well. There's no easy way to correct an error in your own record, and when the systems share data the error just spreads."),
    ("Mark Ellison", "I'm the practice manager at a GP surgery, so I'm probably the person Joan is cross with. [laughter] Honestly, we moved to online triage because the phones were overwhelmed, and for a lot of patients it's better. But I completely accept that it doesn't work for everyone. We've kept a phone route, and reception staff can fill the form in for you.\n\nThe problem is funding. Nobody funds the help desk, the digital champions, the time it takes to help someone through it. NHS England should fund digital inclusion support in practices, not just the software."),
    ("Joan Fletcher", "Well, nobody told me you could ring and they'd fill it in."),
    ("Mark Ellison", "That's on us. We need to tell people. [inaudible] posters aren't enough."),
    ("Ruth Mensah", "What about privacy? Does anyone worry about who can see your records?"),
    ("Daniel Osei", "I do. I'd like to see an audit trail of who has looked at my record and when. The technology exists. My bank does it."),
    ("Bernadette Quinn", "And I'd want to know my data isn't being sold to private companies. If it's used for research, fine, but tell us, and let us opt out without it affecting our care."),
    ("Harpreet Gill", "For me it's the opposite problem. The hospital and the GP and the community team can't see each other's notes, so I end up explaining my son's epilepsy plan to every new person. Sharing the right information safely would make him safer, not less safe."),
    ("Ruth Mensah", "We're almost out of time. If you were writing the strategy, what's the one thing you'd put in it?"),
    ("Joan Fletcher", "Always have a human option. Keep the phone lines open."),
    ("Daniel Osei", "Make sure every patient-facing system meets accessibility standards before it's bought, and test it with people who actually use screen readers."),
    ("Bernadette Quinn", "Clear rules on releasing results, with a plain English explanation and a named person to contact."),
    ("Harpreet Gill", "Give patients a simple way to flag and correct mistakes in their records, and make sure the correction reaches every system the mistake went to."),
    ("Mark Ellison", "Fund the people, not just the technology. Digital inclusion needs staff."),
    ("Ruth Mensah", "Thank you all so much. Ali will type up the notes, and we'll send a summary to anyone who left their details."),
]

INTERVIEW_CSO = [
    ("Nadia Karim", "Thanks for making time, Owen. Could you start by describing your role?"),
    ("Owen Price", "Sure. I'm the lead clinical safety officer for an integrated care system, so I cover two acute trusts, a community trust and about sixty GP practices. In practice that means I spend most of my week reviewing DCB0160 safety cases for systems being deployed, and chasing suppliers for their DCB0129 documentation."),
    ("Nadia Karim", "How well do those standards work in practice?"),
    ("Owen Price", "The principles are sound. Identify the hazards, assess the risk, put controls in place, keep a hazard log and keep it alive. The problem is variation. I've seen a safety case that was three hundred pages of boilerplate, and another that was four pages for a system that handles medicines. Both were signed off. Nobody checks the quality, and there's no consequence if it's a tick-box exercise. A lot of hazard logs are written once, for go-live, and never touched again, even after incidents that should have changed them."),
    ("Nadia Karim", "What gets in the way?"),
    ("Owen Price", "Time and people, mostly. There are nowhere near enough trained clinical safety officers. Most are clinicians doing it on top of a full clinical job, with no protected time and no career path. When a CSO leaves, the knowledge leaves with them. And the training is a two-day course, and after that you're on your own. I'd like to see a national network with some peer review, so that CSOs aren't working in isolation."),
    ("Nadia Karim", "You mentioned suppliers."),
    ("Owen Price", "Suppliers vary hugely. The good ones share their hazard logs openly and come to our safety meetings. Others treat their DCB0129 safety case as commercially confidential and send us a summary. I can't do my DCB0160 assessment properly if I can't see the supplier's hazards. And when every trust asks every supplier the same questions in slightly different ways, everybody loses time. Suppliers must share their safety cases with deploying organisations as standard, and there should be one national assurance pack, so we stop duplicating the same work forty times."),
    ("Nadia Karim", "And incident reporting?"),
    ("Owen Price", "That's my other big worry. Digital incidents are badly under-reported. When something goes wrong because of a system, it tends to get recorded as user error, or not at all, because staff don't think anyone will act on it. And when it is reported, the learning stays local. Another trust with the same system makes the same mistake six months later. We need a way for digital safety incidents to be shared nationally, by system and by version, so that a problem found in one place gets fixed everywhere. NHS England should run that, and suppliers should be required to respond."),
    ("Nadia Karim", "What about newer technology, such as AI?"),
    ("Owen Price", "Honestly, the standards weren't written with machine learning in mind. How do I write a hazard log for a model that changes when it's retrained? Who monitors it after deployment? The strategy needs to say clearly that monitoring after deployment is part of clinical risk management, and it needs to fund it. At the moment it's nobody's job."),
    ("Nadia Karim", "Is there anything about go-live you'd change?"),
    ("Owen Price", "Yes. Too many go-live dates are fixed before the hazard assessment has even started, and the safety case becomes a paperwork exercise to meet the date. The CSO should be able to say not yet, and be backed by the board when they do."),
    ("Nadia Karim", "What about training for the people using the systems?"),
    ("Owen Price", "It matters more than people think. Users often don't understand the limitations of a system, so they trust whatever it shows them. Training should cover what the system can't do, not just which buttons to press, and it should be repeated when the system changes. Trusts should track it like any other mandatory training."),
    ("Nadia Karim", "If you had one recommendation for the strategy?"),
    ("Owen Price", "Make clinical safety a funded, recognised profession. Protected time, a career path, national peer support, and standards updated to say what good looks like rather than just which documents to produce. Everything else follows from having enough people who know what they're doing."),
    ("Nadia Karim", "Thank you, Owen. That's been really useful."),
]

INTERVIEW_SUPPLIER_HEADER = [
    "Consultation interview - supplier perspective",
    "Date: 3 June 2025",
    "Format: video call, transcribed and lightly edited",
]

INTERVIEW_SUPPLIER = [
    ("Nadia Karim", "Thank you for agreeing to talk to us, Fiona. Could you introduce yourself and your company?"),
    ("Fiona Strachan", "Of course. I'm the clinical director at a company that makes e-prescribing and medicines management software. We're used by about forty trusts and a number of hospices. I'm a pharmacist by background, and I'm also our clinical safety officer for DCB0129."),
    ("Nadia Karim", "What do you see as the biggest risks from the supplier side?"),
    ("Fiona Strachan", "Interoperability, first and foremost. Every trust has a different combination of systems, and every integration is built slightly differently. A medication list might pass through three interfaces before it reaches a ward, and each one can drop a field or change a unit. We've seen doses arrive as a bare number with the units lost. National standards exist on paper, but they're optional, they're implemented inconsistently, and nobody tests conformance. The strategy should make the core interoperability standards mandatory, with a national conformance testing service, so that saying you support FHIR actually means something.\n\nThe second risk is configuration. We ship a safe default configuration, and then each trust changes it locally, sometimes without going through its DCB0160 process. When something goes wrong, the question is whether it's our product or their configuration, and honestly it's usually both."),
    ("Nadia Karim", "You mentioned assurance. How does that feel from your side?"),
    ("Fiona Strachan", "Exhausting, if I'm honest. Every trust sends its own supplier assurance questionnaire covering clinical safety, information governance, cyber security and accessibility. They ask the same things in different words. Last year we completed over a hundred and twenty questionnaires. That's time my safety team isn't spending on actual safety work. We'd welcome one national assurance framework: assess a product once, publish the result, and let trusts rely on it for everything except their local configuration."),
    ("Nadia Karim", "Is there anything suppliers should be doing differently?"),
    ("Fiona Strachan", "Yes, and I'll be candid. Suppliers should share their hazard logs and safety cases with customers as standard. A few still treat them as confidential, which I think is indefensible. We should tell every customer on the same version about a safety issue found at one of them, and quickly. And we should design with clinicians, real ones on real night shifts, rather than for a sales demo."),
    ("Nadia Karim", "What about liability?"),
    ("Fiona Strachan", "That's the grey area that worries the whole industry. When an incident involves our software, a trust's configuration, an interface engine from someone else and a user's decision, nobody knows who is accountable. Contracts try to push all the liability one way.\n\nI think the regulators and NHS England need to set out clearly how accountability is shared between manufacturers, deploying organisations and users. Clarity would make everyone safer, because people would stop being defensive and start sharing what they learn."),
    ("Nadia Karim", "And AI?"),
    ("Fiona Strachan", "We're adding some decision support that uses machine learning. The MHRA guidance on software as a medical device is improving, but the boundary between what is a medical device and what isn't is still unclear, and the DCB standards and the device regulations overlap in confusing ways. One set of expectations, published jointly, would help enormously."),
    ("Nadia Karim", "How do go-lives usually go from your side?"),
    ("Fiona Strachan", "The best ones are where the trust has given its staff real time to train and has a clinical safety officer involved from the start. The worst are driven by a contract date. We've asked to delay a go-live twice because the trust's configuration wasn't ready, and both times we were told the date couldn't move. Trusts need to build readiness checks into the contract, so that either side can pause a go-live on safety grounds without a penalty."),
    ("Nadia Karim", "And cyber security?"),
    ("Fiona Strachan", "It's a clinical safety issue now, not just an IT one. When a pathology provider or an EPR goes down after an attack, patients are harmed by the loss of information. We'd support minimum national standards for business continuity and for testing recovery, applied to suppliers and trusts alike."),
    ("Nadia Karim", "Last question. What's your top recommendation?"),
    ("Fiona Strachan", "Mandatory, tested interoperability standards. Most of the incidents I see happen at the boundaries between systems, and they would go away if data moved between them reliably."),
    ("Nadia Karim", "Thank you, Fiona. That's everything we needed."),
]

INTERVIEW_REGULATOR = [
    ("Sam Okafor", "Thanks for joining, Ifeoma. For the transcript, could you say a little about your role?"),
    ("Dr Ifeoma Daniels", "Of course. I lead on digital health policy at one of the national regulators. I'm speaking in a personal capacity, drawing on what we see in inspections and in the reports that come to us."),
    ("Sam Okafor", "From where you sit, what are the biggest digital safety risks?"),
    ("Dr Ifeoma Daniels", "I'd say three things. First, accountability. When a digital system contributes to harm, it is often unclear who is responsible: the supplier, the organisation that deployed it, or the clinician who used it. That makes learning harder, because everyone is defensive. Second, the quality of incident reporting. Digital incidents are under-reported and poorly coded, so the national data don't tell us where the risks are. We can't regulate what we can't see. Third, the pace of AI. We're seeing ambient voice documentation, triage chatbots and image analysis arrive in services faster than the evidence and the oversight."),
    ("Sam Okafor", "Let's take those in turn. On accountability, what should change?"),
    ("Dr Ifeoma Daniels", "There should be a single, published framework that sets out the responsibilities of manufacturers, deploying organisations and individual users, and how they connect to the existing standards. DCB0129 and DCB0160, medical device regulation and data protection law all touch the same systems, but they were written separately. Regulators should publish joint guidance, so that an organisation knows what is expected of it without having to reconcile four documents."),
    ("Sam Okafor", "And incident reporting?"),
    ("Dr Ifeoma Daniels", "Reporting needs to be easy, and it needs to lead somewhere. The national reporting system should have proper categories for digital incidents, including the system and version involved, so that patterns across organisations become visible. Suppliers should be required to report the safety issues they find, in the same way device manufacturers report adverse incidents. And organisations need a just culture, so that a nurse who clicks past an alert isn't blamed for a design problem."),
    ("Sam Okafor", "On AI, what would you like the strategy to say?"),
    ("Dr Ifeoma Daniels", "That AI is held to the same standard of evidence as any other intervention. Before deployment, independent evaluation in the setting where it will be used, including how it performs for different groups, because bias in training data can mean poorer performance for people already experiencing inequalities. After deployment, ongoing monitoring, because performance drifts. And clear rules on who may procure it. At the moment a single department can buy an AI tool without anyone assessing its clinical safety."),
    ("Sam Okafor", "Is regulation keeping up?"),
    ("Dr Ifeoma Daniels", "Not fully. The guidance on software as a medical device is improving, but the boundary is unclear to many organisations, and inspection teams don't yet have the digital expertise to assess these systems. We need to build that capability in the regulators themselves."),
    ("Sam Okafor", "Some providers say assurance is already too heavy. What would you say to them?"),
    ("Dr Ifeoma Daniels", "I hear that. I would rather have one proportionate national assurance process that is done well than a hundred local ones done badly. Assess once, share the result, and focus local effort on configuration and use. Cyber security belongs in the same process, because an outage caused by an attack is a patient safety event, not just an IT one."),
    ("Sam Okafor", "Where do patients fit into this?"),
    ("Dr Ifeoma Daniels", "Right at the centre, and not only as users of apps. Patients are often the first to notice an error in their record, and they should have a simple way to report it that feeds into the same learning system. We also see that digital-first services can leave behind people who are older, disabled or on low incomes. Digital exclusion should be monitored as a safety and equality issue, and every service should keep a route that doesn't depend on a smartphone."),
    ("Sam Okafor", "And the workforce?"),
    ("Dr Ifeoma Daniels", "Organisations need enough clinical safety officers and informatics staff to do this properly. When we inspect, we often find one person holding the whole digital safety function together. That is a single point of failure, and boards should treat it as one."),
    ("Sam Okafor", "Finally, your top recommendation?"),
    ("Dr Ifeoma Daniels", "Make digital safety data visible. Publish national data on digital incidents and major outages, so that the whole system can learn from them. Transparency drives improvement."),
    ("Sam Okafor", "Thank you, Ifeoma. That's very clear."),
]

# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------

SECONDS_PER_WORD = 0.4  # about 150 words a minute


def clock(ms, sep="."):
    h, rest = divmod(int(ms), 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{milli:03d}"


def chunks(text, limit):
    """Cuts a turn into cue-sized pieces of at most `limit` words, preferring to end a
    piece at a sentence end, as captioning tools do (they still cut mid-sentence when a
    sentence is long)."""
    words = text.replace("\n\n", " ").split()
    out = []
    i = 0
    while i < len(words):
        end = min(i + limit, len(words))
        if end < len(words):
            for j in range(end, i + limit // 2, -1):
                if words[j - 1][-1] in ".?!":
                    end = j
                    break
        out.append(words[i:end])
        i = end
    return out


def timed(turns, rng, limit):
    """Yields (turn index, speaker, words of the cue, start ms, end ms)."""
    t = 1_800.0
    for n, (speaker, text) in enumerate(turns):
        for piece in chunks(text, limit):
            d = len(piece) * SECONDS_PER_WORD * 1000 * rng.uniform(0.85, 1.15)
            yield n, speaker, piece, t, t + d
            t += d + rng.uniform(0, 120)
        t += rng.uniform(500, 1600)


def escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def teams_vtt(turns, rng):
    guid = "%08x-%04x-%04x-%04x-%012x" % (
        rng.getrandbits(32), rng.getrandbits(16), 0x4000 | rng.getrandbits(12),
        0x8000 | rng.getrandbits(14), rng.getrandbits(48))
    out = ["WEBVTT", ""]
    part = {}
    for n, speaker, piece, a, b in timed(turns, rng, 14):
        k = part.get(n, 0)
        part[n] = k + 1
        out += [f"{guid}/{n + 11}-{k}", f"{clock(a)} --> {clock(b)}",
                f"<v {speaker}>{escape(' '.join(piece))}</v>", ""]
    return "\n".join(out)


def zoom_vtt(turns, rng):
    out = ["WEBVTT", ""]
    for i, (_, speaker, piece, a, b) in enumerate(timed(turns, rng, 16), 1):
        out += [str(i), f"{clock(a)} --> {clock(b)}", f"{speaker}: {escape(' '.join(piece))}", ""]
    return "\n".join(out)


def wrap_two_lines(words):
    """Splits a cue's words into at most two lines of similar length."""
    text = " ".join(words)
    if len(text) <= 42 or len(words) < 2:
        return [text]
    best = min(range(1, len(words)),
               key=lambda k: abs(len(" ".join(words[:k])) - len(" ".join(words[k:]))))
    return [" ".join(words[:best]), " ".join(words[best:])]


def srt(turns, rng):
    out = []
    last = None
    for i, (n, speaker, piece, a, b) in enumerate(timed(turns, rng, 12), 1):
        words = list(piece)
        if n != last:
            # Transcription services name the speaker once, where the speaker changes.
            words[0] = f"{speaker}: {words[0]}"
            last = n
        out += [str(i), f"{clock(a, ',')} --> {clock(b, ',')}", *wrap_two_lines(words), ""]
    return "\n".join(out)


def plain_timestamped(header, turns, rng):
    out = header + [""]
    t = 4_000.0
    for speaker, text in turns:
        paragraphs = text.split("\n\n")
        s = int(t // 1000)
        out.append(f"[{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}] {speaker}: {paragraphs[0]}")
        for p in paragraphs[1:]:
            out += ["", p]
        t += len(text.split()) * SECONDS_PER_WORD * 1000 * rng.uniform(0.9, 1.2) + rng.uniform(800, 2500)
    return "\n".join(out) + "\n"


def plain(header, turns):
    out = header + [""]
    for speaker, text in turns:
        paragraphs = text.split("\n\n")
        out += [f"{speaker}: {paragraphs[0]}"] + [x for p in paragraphs[1:] for x in ("", p)] + [""]
    return "\n".join(out)


def speakers_csv():
    lines = ["# Speaker -> stakeholder group for the transcripts in data/transcripts/.",
             "# Groups are named exactly as in the survey's `group` column.",
             "speaker,group,role"]
    for name, group, role in SPEAKERS:
        lines.append(f"{name},{group or ''},{role}")
    return "\n".join(lines) + "\n"


def main():
    rng = random.Random(SEED)
    files = {
        "workshop_frontline_clinicians.vtt": teams_vtt(WORKSHOP_CLINICAL, rng),
        "workshop_patients_public.txt": plain_timestamped(WORKSHOP_PUBLIC_HEADER, WORKSHOP_PUBLIC, rng),
        "interview_clinical_safety_officer.srt": srt(INTERVIEW_CSO, rng),
        "interview_supplier.txt": plain(INTERVIEW_SUPPLIER_HEADER, INTERVIEW_SUPPLIER),
        "interview_regulator.vtt": zoom_vtt(INTERVIEW_REGULATOR, rng),
        # Beside the folder, so that `thematic analyse data/transcripts` reads only transcripts.
        os.path.join("..", "speakers.csv"): speakers_csv(),
    }
    for name, text in files.items():
        with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    for name, turns in [("workshop_frontline_clinicians.vtt", WORKSHOP_CLINICAL),
                        ("workshop_patients_public.txt", WORKSHOP_PUBLIC),
                        ("interview_clinical_safety_officer.srt", INTERVIEW_CSO),
                        ("interview_supplier.txt", INTERVIEW_SUPPLIER),
                        ("interview_regulator.vtt", INTERVIEW_REGULATOR)]:
        words = sum(len(t.split()) for _, t in turns)
        print(f"{name}: {len(turns)} turns, {words} words")


if __name__ == "__main__":
    main()
