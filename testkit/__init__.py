"""The test kit: what tests, bench/ and tools/ share to talk to the skill as Alexa would.

    envelopes       LocalSession: the one envelope builder (launch, intent, session end, any request dict)
    conversation    Conversation: one user's turns through lambda_handler; Reply; load_event, load_model
    response        ResponseView: speech, reprompt, card, directives, hold_seconds(), ended
    resolver        the shipped tools/resolver.py, re-exported (Resolver, SlotMatch, Resolution...)
    world           World, DurableWorld (+ the write queue and drain), moto_table, moto_server, aws_env;
                    World.episodes(user) is a Query on that user's partition
    clock           Clock, NIGHT, alexa_timestamp
    alexa_api       RecordingApiClient, time_zone_route: Alexa's own APIs, faked
    ssml            BREAK, break_times, hold_seconds, spoken_text
    apl             timeline: a screen's onMount commands run as the device runs them
    screens         ShowConversation, screens_of, APL, the buttons and RED_FLAG (the skill's own names)
    strategies      Hypothesis strategies for hostile envelopes
    fault_matrix, durability, deletion, people, drift, concurrency, speech_figures
                    the scenarios the tests assert and bench/ prints

Import the submodules you need; this package imports nothing itself.
"""
