#!/bin/sh
echo helped
